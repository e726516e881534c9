#pragma once
/// descent: gradient-based optimizers over Eigen parameter blocks. The umbrella header.

#include "descent/averaging/averaging.hpp"
#include "descent/core/apply.hpp"
#include "descent/core/block.hpp"
#include "descent/core/block_options.hpp"
#include "descent/core/chunks.hpp"
#include "descent/core/optimizer.hpp"
#include "descent/core/policy_kind.hpp"
#include "descent/gradients/gradients.hpp"
#include "descent/optimizers.hpp"
#include "descent/regularizers/kind.hpp"
#include "descent/rules/adagrad.hpp"
#include "descent/rules/adam.hpp"
#include "descent/rules/momentum.hpp"
#include "descent/rules/rmsprop.hpp"
#include "descent/rules/sgd.hpp"
#include "descent/schedules/constant.hpp"
