#pragma once
/// Gradient policies: clipping by value, by block norm, by global norm; non-finite handling.

#include "descent/gradients/check_finite.hpp"
#include "descent/gradients/clip_norm.hpp"
#include "descent/gradients/clip_value.hpp"
