// Steps with every gradient and averaging policy allocate nothing, skipped steps included.
#include "alloc/alloc_guard.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <descent/descent.hpp>

using descent_test::NoAllocScope;

TEMPLATE_TEST_CASE("Clipping, the finite check and averaging allocate nothing in step()", "[alloc]",
                   float, double) {
  using S = TestType;
  using Vec = Eigen::Array<S, Eigen::Dynamic, 1>;
  Vec p = Vec::Constant(3000, S(0.5)), g = Vec::Constant(3000, S(0.25));
  Eigen::Matrix<S, 4, 3> w = Eigen::Matrix<S, 4, 3>::Ones(), gw = w;
  descent::Adam<S, descent::Constant, descent::ClipValue, descent::ClipNorm,
                descent::ClipGlobalNorm, descent::CheckFinite, descent::Ema>
      opt(descent::AdamOptions(0.01), descent::Constant(), descent::ClipValue(1.0),
          descent::ClipNorm(5.0), descent::ClipGlobalNorm(3.0),
          descent::CheckFinite(descent::NonFinite::skip), descent::Ema(0.9));
  opt.add("p", p, g);
  opt.add("w", w, gw);
  NoAllocScope scope;
  for (int i = 0; i < 5; ++i) REQUIRE_NOTHROW(opt.step());
  g[7] = S(NAN);
  REQUIRE_NOTHROW(opt.step());
  CHECK(opt.skipped_steps() == 1);
  opt.swap_averages();
  opt.swap_averages();
  CHECK(scope.new_calls_since_start() == 0);
}
