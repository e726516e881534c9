// The standalone kernel descent::apply(rule, value, gradient, state, lr) gives, bit for bit, what
// an optimizer with one block gives, for every rule.

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace {

/// Three steps of `apply` on a raw buffer against three steps of Optimizer<S, Rule> on a copy.
template <class S, class Rule>
void check_apply_matches_optimizer(const typename Rule::Options& options) {
  // Longer than one chunk, so that apply's chunking is covered too.
  const Eigen::Index n = 2 * descent::chunk_elements<S> + 7;
  std::vector<S> raw_value(static_cast<std::size_t>(n)), raw_gradient(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) raw_value[std::size_t(i)] = S(std::sin(0.3 * double(i)));
  Eigen::Matrix<S, Eigen::Dynamic, 1> value =
      Eigen::Map<Eigen::Matrix<S, Eigen::Dynamic, 1>>(raw_value.data(), n);
  Eigen::Matrix<S, Eigen::Dynamic, 1> gradient(n);

  descent::Optimizer<S, Rule> opt(options);
  opt.add("p", value, gradient);
  const Rule rule(options);
  descent::RuleState<Rule, S> state(rule, n);
  for (int k = 1; k <= 3; ++k) {
    for (Eigen::Index i = 0; i < n; ++i) {
      const S g = S(std::cos(0.05 * double(i) * double(k) + double(k)));
      raw_gradient[std::size_t(i)] = g;
      gradient(i) = g;
    }
    descent::apply(rule, descent::FlatView<S>(raw_value.data(), n),
                   descent::FlatView<S>(raw_gradient.data(), n), state, options.lr());
    opt.step();
    CHECK(state.steps == k);
    CHECK(Eigen::Map<Eigen::Matrix<S, Eigen::Dynamic, 1>>(raw_value.data(), n) == value);
  }
}

}  // namespace

TEMPLATE_TEST_CASE("apply gives the same result as an optimizer with one block", "[rules][apply]",
                   float, double) {
  using S = TestType;
  SECTION("Sgd") {
    check_apply_matches_optimizer<S, descent::rules::Sgd>(descent::SgdOptions(0.1));
  }
  SECTION("Momentum with dampening") {
    check_apply_matches_optimizer<S, descent::rules::Momentum>(
        descent::MomentumOptions(0.1).momentum(0.9).dampening(0.3));
  }
  SECTION("Nesterov") {
    check_apply_matches_optimizer<S, descent::rules::Nesterov>(
        descent::MomentumOptions(0.1).momentum(0.9));
  }
  SECTION("Adam") {
    check_apply_matches_optimizer<S, descent::rules::Adam>(descent::AdamOptions(0.01));
  }
  SECTION("AMSGrad") {
    check_apply_matches_optimizer<S, descent::rules::Adam>(
        descent::AdamOptions(0.01).betas(0.8, 0.6).amsgrad(true));
  }
  SECTION("RMSprop centered with momentum") {
    check_apply_matches_optimizer<S, descent::rules::RMSprop>(
        descent::RMSpropOptions(0.01).centered(true).momentum(0.5));
  }
  SECTION("RMSprop plain") {
    check_apply_matches_optimizer<S, descent::rules::RMSprop>(descent::RMSpropOptions(0.01));
  }
  SECTION("Adagrad with lr_decay and initial accumulator") {
    check_apply_matches_optimizer<S, descent::rules::Adagrad>(
        descent::AdagradOptions(0.1).lr_decay(0.2).initial_accumulator_value(0.1));
  }
}
