#pragma once
/// Conversions of a rule's double-precision factors to the block's scalar type that keep
/// hostile settings well defined: rates saturate instead of overflowing, and eps never rounds
/// to zero.

#include <limits>

namespace descent::detail {

/// `value` as Scalar, saturating at +-numeric_limits<Scalar>::max() instead of rounding to
/// +-inf: a rate of 1e300 in a float optimizer (or lr / (1 - beta1^t) beyond FLT_MAX) stays
/// finite, so an element with a zero gradient does not move (inf * 0 would make it NaN). NaN
/// stays NaN.
template <class Scalar>
Scalar saturate(double value) {
  constexpr double top = double(std::numeric_limits<Scalar>::max());
  if (value > top) return std::numeric_limits<Scalar>::max();
  if (value < -top) return std::numeric_limits<Scalar>::lowest();
  return Scalar(value);
}

/// A denominator's eps as Scalar, at least the smallest normal Scalar (FLT_MIN, DBL_MIN): with
/// eps = 0, or an eps below the type's range, a zero second moment gives a zero update instead
/// of 0 / 0 = NaN. Any eps the type represents as a normal number is unchanged, and adding
/// FLT_MIN (DBL_MIN) to a denominator above 2^-102 (2^-969) does not change it either.
template <class Scalar>
Scalar eps_floor(double eps) {
  const Scalar floor = std::numeric_limits<Scalar>::min();
  const Scalar value = saturate<Scalar>(eps);
  return value > floor ? value : floor;
}

}  // namespace descent::detail
