// Catch2's main for the allocation tests.
#include "alloc/alloc_guard.hpp"

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
