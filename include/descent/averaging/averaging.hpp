#pragma once
/// Weight averaging policies: exponential moving average and Polyak (running mean).

#include "descent/averaging/ema.hpp"
#include "descent/averaging/polyak.hpp"
