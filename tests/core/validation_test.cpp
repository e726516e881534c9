// Hyperparameter validation of every rule: the exact message at construction, through
// set_options() and set_lr(), and the strong guarantee of a rejected change.
#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <limits>
#include <string>

#include "core/twin.hpp"

using descent_test::Twin;

namespace {

const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

bool same_options(const descent::SgdOptions& a, const descent::SgdOptions& b) {
  return a.lr() == b.lr();
}
bool same_options(const descent::MomentumOptions& a, const descent::MomentumOptions& b) {
  return a.lr() == b.lr() && a.momentum() == b.momentum() && a.dampening() == b.dampening();
}
bool same_options(const descent::AdamOptions& a, const descent::AdamOptions& b) {
  return a.lr() == b.lr() && a.beta1() == b.beta1() && a.beta2() == b.beta2() &&
         a.eps() == b.eps() && a.amsgrad() == b.amsgrad();
}
bool same_options(const descent::RMSpropOptions& a, const descent::RMSpropOptions& b) {
  return a.lr() == b.lr() && a.alpha() == b.alpha() && a.eps() == b.eps() &&
         a.momentum() == b.momentum() && a.centered() == b.centered();
}
bool same_options(const descent::AdagradOptions& a, const descent::AdagradOptions& b) {
  return a.lr() == b.lr() && a.lr_decay() == b.lr_decay() &&
         a.initial_accumulator_value() == b.initial_accumulator_value() && a.eps() == b.eps();
}

// `bad` is refused with `message` when constructing, and by set_options() on an optimizer built
// from `good` with blocks and state, which then keeps `good` and steps as if never asked.
template <class Optimizer>
void check_rejected(const typename Optimizer::Options& good, const typename Optimizer::Options& bad,
                    const std::string& message) {
  CAPTURE(message);
  CHECK_THROWS_WITH(Optimizer(bad), message);
  Twin<Optimizer> twin(good);
  CHECK_THROWS_WITH(twin.a.set_options(bad), message);
  CHECK(same_options(twin.a.options(), good));
  twin.check_identical_after_step();
}

// Negative, NaN and infinite learning rates are refused at construction, by set_options() and by
// set_lr(), each leaving the optimizer as it was.
template <class Optimizer>
void check_lr_rejected(const typename Optimizer::Options& good) {
  const std::string prefix =
      std::string(Optimizer::rule_type::name) + ": lr must be finite and >= 0, got ";
  const std::pair<double, const char*> cases[] = {
      {-1.0, "-1"}, {-0.001, "-0.001"}, {not_a_number, "nan"}, {inf, "inf"}, {-inf, "-inf"}};
  for (const auto& bad_lr : cases) {
    typename Optimizer::Options bad = good;
    bad.lr(bad_lr.first);
    check_rejected<Optimizer>(good, bad, prefix + bad_lr.second);

    Twin<Optimizer> twin(good);
    CHECK_THROWS_WITH(twin.a.set_lr(bad_lr.first), prefix + bad_lr.second);
    CHECK(twin.a.base_lr() == good.lr());
    CHECK(twin.a.lr() == good.lr());
    CHECK(same_options(twin.a.options(), good));
    twin.check_identical_after_step();
  }
}

// Changing a structural setting from `good` to `changed` with blocks registered is refused with
// `message`, leaving the optimizer as it was.
template <class Optimizer>
void check_structure_fixed(const typename Optimizer::Options& good,
                           const typename Optimizer::Options& changed, const std::string& message) {
  Twin<Optimizer> twin(good);
  CHECK_THROWS_WITH(twin.a.set_options(changed), message);
  CHECK(same_options(twin.a.options(), good));
  twin.check_identical_after_step();
}

}  // namespace

TEMPLATE_TEST_CASE("Every rule rejects a negative, NaN or infinite lr everywhere it is set",
                   "[core][validation]", float, double) {
  using T = TestType;
  SECTION("Sgd") { check_lr_rejected<descent::Sgd<T>>(descent::SgdOptions(0.1)); }
  SECTION("Momentum") { check_lr_rejected<descent::Momentum<T>>(descent::MomentumOptions(0.1)); }
  SECTION("Nesterov") { check_lr_rejected<descent::Nesterov<T>>(descent::MomentumOptions(0.1)); }
  SECTION("Adam") { check_lr_rejected<descent::Adam<T>>(descent::AdamOptions(0.1)); }
  SECTION("RMSprop") { check_lr_rejected<descent::RMSprop<T>>(descent::RMSpropOptions(0.1)); }
  SECTION("Adagrad") { check_lr_rejected<descent::Adagrad<T>>(descent::AdagradOptions(0.1)); }
}

TEMPLATE_TEST_CASE("Adam rejects betas outside [0, 1) and a negative eps", "[core][validation]",
                   float, double) {
  using Opt = descent::Adam<TestType>;
  const descent::AdamOptions good = descent::AdamOptions(0.1).betas(0.8, 0.9);
  const std::pair<double, const char*> bad_betas[] = {
      {1.0, "1"}, {1.5, "1.5"}, {-0.1, "-0.1"}, {not_a_number, "nan"}};
  for (const auto& beta : bad_betas) {
    check_rejected<Opt>(good, descent::AdamOptions(good).betas(beta.first, 0.9),
                        std::string("Adam: beta1 must be in [0, 1), got ") + beta.second);
    check_rejected<Opt>(good, descent::AdamOptions(good).betas(0.8, beta.first),
                        std::string("Adam: beta2 must be in [0, 1), got ") + beta.second);
  }
  check_rejected<Opt>(good, descent::AdamOptions(good).eps(-1e-8),
                      "Adam: eps must be finite and >= 0, got -1e-08");
  check_rejected<Opt>(good, descent::AdamOptions(good).eps(not_a_number),
                      "Adam: eps must be finite and >= 0, got nan");
  check_rejected<Opt>(good, descent::AdamOptions(good).eps(inf),
                      "Adam: eps must be finite and >= 0, got inf");
}

TEMPLATE_TEST_CASE("Momentum rejects a negative momentum and dampening outside [0, 1]",
                   "[core][validation]", float, double) {
  using Opt = descent::Momentum<TestType>;
  const descent::MomentumOptions good = descent::MomentumOptions(0.1).momentum(0.9);
  check_rejected<Opt>(good, descent::MomentumOptions(good).momentum(-0.1),
                      "Momentum: momentum must be finite and >= 0, got -0.1");
  check_rejected<Opt>(good, descent::MomentumOptions(good).momentum(not_a_number),
                      "Momentum: momentum must be finite and >= 0, got nan");
  check_rejected<Opt>(good, descent::MomentumOptions(good).dampening(-0.1),
                      "Momentum: dampening must be in [0, 1], got -0.1");
  check_rejected<Opt>(good, descent::MomentumOptions(good).dampening(1.5),
                      "Momentum: dampening must be in [0, 1], got 1.5");
  check_rejected<Opt>(good, descent::MomentumOptions(good).dampening(not_a_number),
                      "Momentum: dampening must be in [0, 1], got nan");
}

TEMPLATE_TEST_CASE("Nesterov requires a positive momentum and no dampening", "[core][validation]",
                   float, double) {
  using Opt = descent::Nesterov<TestType>;
  const descent::MomentumOptions good = descent::MomentumOptions(0.1).momentum(0.9);
  check_rejected<Opt>(good, descent::MomentumOptions(good).momentum(0.0),
                      "Nesterov: momentum must be > 0 for Nesterov momentum, got 0");
  check_rejected<Opt>(good, descent::MomentumOptions(good).momentum(-0.5),
                      "Nesterov: momentum must be finite and >= 0, got -0.5");
  check_rejected<Opt>(good, descent::MomentumOptions(good).dampening(0.1),
                      "Nesterov: dampening must be 0 for Nesterov momentum, got 0.1");
  check_rejected<Opt>(good, descent::MomentumOptions(good).dampening(1.0),
                      "Nesterov: dampening must be 0 for Nesterov momentum, got 1");
  check_rejected<Opt>(good, descent::MomentumOptions(good).dampening(1.5),
                      "Nesterov: dampening must be in [0, 1], got 1.5");
}

TEMPLATE_TEST_CASE("RMSprop rejects alpha outside [0, 1), a negative eps or momentum",
                   "[core][validation]", float, double) {
  using Opt = descent::RMSprop<TestType>;
  const descent::RMSpropOptions good = descent::RMSpropOptions(0.1).momentum(0.5);
  check_rejected<Opt>(good, descent::RMSpropOptions(good).alpha(1.0),
                      "RMSprop: alpha must be in [0, 1), got 1");
  check_rejected<Opt>(good, descent::RMSpropOptions(good).alpha(1.5),
                      "RMSprop: alpha must be in [0, 1), got 1.5");
  check_rejected<Opt>(good, descent::RMSpropOptions(good).alpha(-0.1),
                      "RMSprop: alpha must be in [0, 1), got -0.1");
  check_rejected<Opt>(good, descent::RMSpropOptions(good).alpha(not_a_number),
                      "RMSprop: alpha must be in [0, 1), got nan");
  check_rejected<Opt>(good, descent::RMSpropOptions(good).eps(-1e-8),
                      "RMSprop: eps must be finite and >= 0, got -1e-08");
  check_rejected<Opt>(good, descent::RMSpropOptions(good).momentum(-0.9),
                      "RMSprop: momentum must be finite and >= 0, got -0.9");
  check_rejected<Opt>(good, descent::RMSpropOptions(good).momentum(not_a_number),
                      "RMSprop: momentum must be finite and >= 0, got nan");
}

TEMPLATE_TEST_CASE("Adagrad rejects a negative lr_decay, initial accumulator or eps",
                   "[core][validation]", float, double) {
  using Opt = descent::Adagrad<TestType>;
  const descent::AdagradOptions good = descent::AdagradOptions(0.1).lr_decay(0.01);
  check_rejected<Opt>(good, descent::AdagradOptions(good).lr_decay(-0.1),
                      "Adagrad: lr_decay must be finite and >= 0, got -0.1");
  check_rejected<Opt>(good, descent::AdagradOptions(good).initial_accumulator_value(-1.0),
                      "Adagrad: initial_accumulator_value must be finite and >= 0, got -1");
  check_rejected<Opt>(good, descent::AdagradOptions(good).eps(-1e-10),
                      "Adagrad: eps must be finite and >= 0, got -1e-10");
  check_rejected<Opt>(good, descent::AdagradOptions(good).eps(not_a_number),
                      "Adagrad: eps must be finite and >= 0, got nan");
}

TEMPLATE_TEST_CASE("The edges of every valid range are accepted", "[core][validation]", float,
                   double) {
  using T = TestType;
  CHECK_NOTHROW(descent::Sgd<T>(descent::SgdOptions(0.0)));
  CHECK_NOTHROW(descent::Adam<T>(descent::AdamOptions(0.0).betas(0.0, 0.0).eps(0.0)));
  CHECK_NOTHROW(descent::Adam<T>(descent::AdamOptions().betas(0.999999, 0.999999)));
  CHECK_NOTHROW(descent::Momentum<T>(descent::MomentumOptions().momentum(0.0).dampening(1.0)));
  // PyTorch accepts momentum above 1 for heavy-ball SGD; it diverges but is not invalid.
  CHECK_NOTHROW(descent::Momentum<T>(descent::MomentumOptions().momentum(1.5)));
  CHECK_NOTHROW(descent::Nesterov<T>(descent::MomentumOptions().momentum(1e-3)));
  CHECK_NOTHROW(descent::RMSprop<T>(descent::RMSpropOptions().alpha(0.0).eps(0.0)));
  CHECK_NOTHROW(descent::Adagrad<T>(
      descent::AdagradOptions().lr_decay(0.0).initial_accumulator_value(0.0).eps(0.0)));
}

TEMPLATE_TEST_CASE("A valid set_options() or set_lr() takes effect on the next step",
                   "[core][validation]", float, double) {
  using T = TestType;
  descent::Momentum<T> opt(descent::MomentumOptions(0.5).momentum(0.0));
  descent_test::VectorX<T> p = descent_test::VectorX<T>::Constant(2, T(1));
  descent_test::VectorX<T> g = descent_test::VectorX<T>::Constant(2, T(1));
  opt.add("p", p, g);
  opt.set_options(descent::MomentumOptions(0.25).momentum(0.0));
  CHECK(opt.options().lr() == 0.25);
  opt.step();
  CHECK(p(0) == T(0.75));  // 1 - 0.25 * 1
  opt.set_lr(0.125);
  CHECK(opt.options().lr() == 0.125);
  CHECK(opt.options().momentum() == 0.0);
  opt.step();
  CHECK(p(0) == T(0.625));  // 0.75 - 0.125 * 1
}

TEMPLATE_TEST_CASE("Settings that decide the state arrays are fixed once blocks are registered",
                   "[core][validation]", float, double) {
  using T = TestType;
  SECTION("Adam amsgrad off to on") {
    check_structure_fixed<descent::Adam<T>>(
        descent::AdamOptions(0.1), descent::AdamOptions(0.1).amsgrad(true),
        "Adam: amsgrad cannot change once blocks are registered");
  }
  SECTION("Adam amsgrad on to off") {
    check_structure_fixed<descent::Adam<T>>(
        descent::AdamOptions(0.1).amsgrad(true), descent::AdamOptions(0.1),
        "Adam: amsgrad cannot change once blocks are registered");
  }
  SECTION("RMSprop centered") {
    check_structure_fixed<descent::RMSprop<T>>(
        descent::RMSpropOptions(0.1), descent::RMSpropOptions(0.1).centered(true),
        "RMSprop: centered, momentum on or off cannot change once blocks are registered");
  }
  SECTION("RMSprop momentum 0 to 0.9") {
    check_structure_fixed<descent::RMSprop<T>>(
        descent::RMSpropOptions(0.1), descent::RMSpropOptions(0.1).momentum(0.9),
        "RMSprop: centered, momentum on or off cannot change once blocks are registered");
  }
  SECTION("RMSprop momentum 0.9 to 0") {
    check_structure_fixed<descent::RMSprop<T>>(
        descent::RMSpropOptions(0.1).momentum(0.9), descent::RMSpropOptions(0.1),
        "RMSprop: centered, momentum on or off cannot change once blocks are registered");
  }
}

TEMPLATE_TEST_CASE("Structural settings may change before any block is registered",
                   "[core][validation]", float, double) {
  using T = TestType;
  descent_test::TwoBlocks<T> blocks;
  SECTION("Adam amsgrad") {
    descent::Adam<T> opt(descent::AdamOptions(0.1));
    REQUIRE_NOTHROW(opt.set_options(descent::AdamOptions(0.1).amsgrad(true)));
    blocks.add_to(opt);
    CHECK(opt.options().amsgrad());
    CHECK(opt.state("w").max_exp_avg_sq.size() == 6);
  }
  SECTION("RMSprop centered with momentum") {
    descent::RMSprop<T> opt(descent::RMSpropOptions(0.1));
    REQUIRE_NOTHROW(opt.set_options(descent::RMSpropOptions(0.1).centered(true).momentum(0.9)));
    blocks.add_to(opt);
    CHECK(opt.state("b").grad_avg.size() == 4);
    CHECK(opt.state("b").momentum_buffer.size() == 4);
  }
}

TEMPLATE_TEST_CASE("RMSprop momentum may change between non-zero values with blocks registered",
                   "[core][validation]", float, double) {
  using T = TestType;
  descent_test::TwoBlocks<T> blocks;
  descent::RMSprop<T> opt(descent::RMSpropOptions(0.1).momentum(0.9));
  blocks.add_to(opt);
  opt.step();
  REQUIRE_NOTHROW(opt.set_options(descent::RMSpropOptions(0.1).momentum(0.5)));
  CHECK(opt.options().momentum() == 0.5);
  CHECK_NOTHROW(opt.step());
}
