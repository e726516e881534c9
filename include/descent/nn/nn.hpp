#pragma once
/// The network module: activations, dropout policies, initialization, Dense, Mlp, losses.

#include "descent/nn/activations.hpp"
#include "descent/nn/dense.hpp"
#include "descent/nn/dropout.hpp"
#include "descent/nn/init.hpp"
#include "descent/nn/losses.hpp"
#include "descent/nn/mlp.hpp"
