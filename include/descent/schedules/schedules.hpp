#pragma once
/// Every learning-rate schedule of descent.

#include "descent/schedules/constant.hpp"
#include "descent/schedules/cosine.hpp"
#include "descent/schedules/cosine_warm_restarts.hpp"
#include "descent/schedules/exponential.hpp"
#include "descent/schedules/inverse_time_decay.hpp"
#include "descent/schedules/multi_step.hpp"
#include "descent/schedules/one_cycle.hpp"
#include "descent/schedules/polynomial.hpp"
#include "descent/schedules/reduce_on_plateau.hpp"
#include "descent/schedules/sequential.hpp"
#include "descent/schedules/step_decay.hpp"
#include "descent/schedules/warmup.hpp"
