#pragma once
/// Test problems with known minima, for tests, examples and benchmarks.

#include "descent/problems/least_squares.hpp"
#include "descent/problems/logistic_regression.hpp"
#include "descent/problems/quadratic.hpp"
#include "descent/problems/rosenbrock.hpp"
