#pragma once
/// Every regularizer: L1, ProximalL1, L2 and WeightDecay.

#include "descent/regularizers/kind.hpp"
#include "descent/regularizers/l1.hpp"
#include "descent/regularizers/l2.hpp"
#include "descent/regularizers/proximal_l1.hpp"
#include "descent/regularizers/weight_decay.hpp"
