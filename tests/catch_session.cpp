// Catch2's implementation, compiled once and linked into every test binary (each binary's
// main.cpp only calls run_catch): it is the slowest file of the suite to compile.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "catch_session.hpp"

int descent_test::run_catch(int argc, char** argv) { return Catch::Session().run(argc, argv); }
