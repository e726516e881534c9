#pragma once
/// The drivers (GD, SGD), their callbacks and the Rng: include this for all of them.

#include "descent/drivers/callback.hpp"
#include "descent/drivers/early_stopping.hpp"
#include "descent/drivers/gd.hpp"
#include "descent/drivers/keep_best.hpp"
#include "descent/drivers/loss_history.hpp"
#include "descent/drivers/objective.hpp"
#include "descent/drivers/print_every.hpp"
#include "descent/drivers/progress_bar.hpp"
#include "descent/drivers/result.hpp"
#include "descent/drivers/sgd.hpp"
#include "descent/random/rng.hpp"
