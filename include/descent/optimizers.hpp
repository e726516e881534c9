#pragma once
/// Readable optimizer names: a rule combined with a scalar, a schedule and regularizers.

#include "descent/core/optimizer.hpp"
#include "descent/regularizers/weight_decay.hpp"
#include "descent/rules/adagrad.hpp"
#include "descent/rules/adam.hpp"
#include "descent/rules/momentum.hpp"
#include "descent/rules/rmsprop.hpp"
#include "descent/rules/sgd.hpp"
#include "descent/schedules/constant.hpp"

namespace descent {

/// Plain gradient step (full-batch GD or minibatch SGD: the gradient decides which).
template <class Scalar, class Schedule = Constant, class... Policies>
using Sgd = Optimizer<Scalar, rules::Sgd, Schedule, Policies...>;

/// Heavy-ball momentum with dampening (torch.optim.SGD with momentum).
template <class Scalar, class Schedule = Constant, class... Policies>
using Momentum = Optimizer<Scalar, rules::Momentum, Schedule, Policies...>;

/// Nesterov momentum (torch.optim.SGD with nesterov=True).
template <class Scalar, class Schedule = Constant, class... Policies>
using Nesterov = Optimizer<Scalar, rules::Nesterov, Schedule, Policies...>;

/// Adam with bias correction; AMSGrad through AdamOptions().amsgrad(true).
template <class Scalar, class Schedule = Constant, class... Policies>
using Adam = Optimizer<Scalar, rules::Adam, Schedule, Policies...>;

/// RMSprop, optionally centered and with momentum.
template <class Scalar, class Schedule = Constant, class... Policies>
using RMSprop = Optimizer<Scalar, rules::RMSprop, Schedule, Policies...>;

/// Adagrad.
template <class Scalar, class Schedule = Constant, class... Policies>
using Adagrad = Optimizer<Scalar, rules::Adagrad, Schedule, Policies...>;

/// Adam with decoupled weight decay (torch.optim.AdamW): pass WeightDecay(wd) after the schedule.
template <class Scalar, class Schedule = Constant, class... Policies>
using AdamW = Optimizer<Scalar, rules::Adam, Schedule, WeightDecay, Policies...>;

/// Plain gradient step with decoupled weight decay (SGDW, Loshchilov & Hutter, 2019).
template <class Scalar, class Schedule = Constant, class... Policies>
using SgdW = Optimizer<Scalar, rules::Sgd, Schedule, WeightDecay, Policies...>;

}  // namespace descent
