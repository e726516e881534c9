#pragma once
// Shared pieces of the regularizer tests: column arrays from literals and a tolerance per scalar.

#include <initializer_list>
#include <type_traits>

#include <Eigen/Core>
#include <catch2/catch.hpp>

namespace descent_test {

template <class T>
using Column = Eigen::Array<T, Eigen::Dynamic, 1>;

/// A column of T from double literals (each converted once, so -Wconversion stays quiet).
template <class T>
Column<T> column(std::initializer_list<double> values) {
  Column<T> out(Eigen::Index(values.size()));
  Eigen::Index i = 0;
  for (double v : values) out(i++) = T(v);
  return out;
}

/// `expected` within a few ulps of T: 1e-5 relative for float, 1e-12 for double.
template <class T>
Approx near(double expected) {
  const bool is_float = std::is_same<T, float>::value;
  return Approx(expected).epsilon(is_float ? 1e-5 : 1e-12).margin(is_float ? 1e-6 : 1e-14);
}

}  // namespace descent_test
