#pragma once
/// Objectives the drivers minimize, and what drivers need from an optimizer's blocks.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/core/policy_kind.hpp"
#include "descent/detail/format.hpp"
#include "descent/gradients/check_finite.hpp"

namespace descent {

/// The example indices of one minibatch: a view of Eigen::Index values, usable directly for
/// Eigen 3.4 slicing (`X(Eigen::all, batch)`), `batch.size()` and `batch[i]`.
using Batch = Eigen::Map<const Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1>>;

/// Objective concepts (see docs/drivers.md). Over the blocks registered in an optimizer:
///   differentiable: `double f()` computes the loss at the current parameters and assigns every
///                   registered gradient;
///   separable:      `Eigen::Index num_examples() const` and `double f(const Batch&)` computing
///                   the MEAN loss over the batch's examples and assigning the MEAN gradient.
/// Over one vector x (the driver registers x itself):
///   differentiable: `double f(const VectorX& x, VectorX& grad)`;
///   separable:      `num_examples()` and `double f(const VectorX& x, VectorX& grad, const
///   Batch&)`.
/// The mean (not the sum) keeps a learning rate's meaning when the batch size changes.
///
/// Separable: a plain callable with a number of examples (see separable()).
template <class F>
class Separable {
 public:
  Separable(Eigen::Index num_examples, F f) : num_examples_(num_examples), f_(std::move(f)) {}
  Eigen::Index num_examples() const { return num_examples_; }
  template <class... Args>
  double operator()(Args&&... args) {
    return double(f_(std::forward<Args>(args)...));
  }

 private:
  Eigen::Index num_examples_;
  F f_;
};

/// Makes a separable objective of `num_examples` examples from a lambda taking a Batch (or
/// x, grad, Batch) and returning the mean loss.
template <class F>
Separable<std::decay_t<F>> separable(Eigen::Index num_examples, F&& f) {
  return Separable<std::decay_t<F>>(num_examples, std::forward<F>(f));
}

namespace detail {

/// Optimizer-like: has step(), num_blocks() and block(i) (the drivers' duck type).
template <class O, class = void>
struct is_optimizer : std::false_type {};
template <class O>
struct is_optimizer<O, std::void_t<decltype(std::declval<O&>().step()),
                                   decltype(std::declval<const O&>().num_blocks()),
                                   decltype(std::declval<const O&>().block(std::size_t(0)))>>
    : std::true_type {};

/// Whether a schedule takes loss feedback through `report(double)` (ReduceOnPlateau).
template <class S, class = void>
struct has_report : std::false_type {};
template <class S>
struct has_report<S, std::void_t<decltype(std::declval<S&>().report(0.0))>> : std::true_type {};

/// Passes `loss` to the optimizer's schedule when it takes reports; nothing otherwise.
template <class Opt>
void report_to_schedule(Opt& opt, double loss) {
  if constexpr (has_report<std::decay_t<decltype(opt.schedule())>>::value) {
    opt.schedule().report(loss);
  } else {
    static_cast<void>(opt);
    static_cast<void>(loss);
  }
}

/// A writable view of a registered block's parameter. The optimizer exposes blocks read-only,
/// but registration requires writable storage, so writing through the view is well defined.
template <class Scalar>
FlatView<Scalar> mutable_value(const Block<Scalar>& block) {
  return FlatView<Scalar>(const_cast<Scalar*>(block.value().data()), block.size());
}

/// L2 norm of all registered gradients, accumulated in double.
template <class Opt>
double gradient_norm(const Opt& opt) {
  double sum = 0.0;
  for (std::size_t i = 0; i < opt.num_blocks(); ++i) {
    sum += opt.block(i).gradient().template cast<double>().square().sum();
  }
  return std::sqrt(sum);
}

/// The action of the optimizer's CheckFinite policy; NonFinite::proceed when it has none (the
/// drivers then apply their own rule: stop, restoring the last finite parameters).
template <class Opt>
NonFinite finite_check_action(const Opt& opt) {
  NonFinite action = NonFinite::proceed;
  auto visit = [&action](const auto& policy) {
    if constexpr (std::decay_t<decltype(policy)>::kind == PolicyKind::finite_check) {
      action = policy.action();
    }
  };
  std::apply([&visit](const auto&... policies) { (visit(policies), ...); }, opt.policies());
  return action;
}

/// A copy of every block's parameters, allocated once (allocate) and then only overwritten.
template <class Scalar>
class ParameterCopy {
 public:
  template <class Opt>
  void allocate(const Opt& opt) {
    values_.resize(opt.num_blocks());
    for (std::size_t i = 0; i < values_.size(); ++i) values_[i].resize(opt.block(i).size());
  }
  template <class Opt>
  void save(const Opt& opt) {
    for (std::size_t i = 0; i < values_.size(); ++i) values_[i] = opt.block(i).value();
  }
  template <class Opt>
  void restore(const Opt& opt) const {
    for (std::size_t i = 0; i < values_.size(); ++i) mutable_value(opt.block(i)) = values_[i];
  }
  bool empty() const { return values_.empty(); }

 private:
  std::vector<Eigen::Array<Scalar, Eigen::Dynamic, 1>> values_;
};

/// Checks an integer setting `value >= minimum`.
inline void require_at_least(const std::string& owner, const char* setting, std::int64_t value,
                             std::int64_t minimum) {
  if (value < minimum) {
    const std::string requirement = ">= " + std::to_string(minimum);
    throw_setting(owner, setting, requirement.c_str(), static_cast<double>(value));
  }
}

/// Relative change |a - b| / max(|a|, |b|, 1) (SciPy's ftol test).
inline double relative_change(double previous, double current) {
  const double scale = std::max({std::abs(previous), std::abs(current), 1.0});
  return std::abs(previous - current) / scale;
}

}  // namespace detail
}  // namespace descent
