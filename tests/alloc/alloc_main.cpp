// The allocation tests' main (Catch2's implementation is in tests/catch_session.cpp).
#include "catch_session.hpp"

int main(int argc, char** argv) { return descent_test::run_catch(argc, argv); }
