// FlushDenormals: denormal results become zero and denormal inputs read as zero inside the scope,
// gradual underflow is back after it, and scopes nest.
#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <limits>

namespace {
// volatile keeps the compiler from folding the arithmetic at compile time.
template <class T>
T multiply(T a, T b) {
  volatile T x = a, y = b;
  return x * y;
}
}  // namespace

TEMPLATE_TEST_CASE("FlushDenormals flushes denormals on this thread while alive", "[numeric]",
                   float, double) {
  if (!descent::FlushDenormals::active()) {
    WARN("no flush-to-zero control on this platform: nothing to test");
    return;
  }
  const TestType tiny = std::numeric_limits<TestType>::min();  // smallest normal
  const TestType denormal = tiny / TestType(4);
  REQUIRE(denormal > TestType(0));
  CHECK(multiply(tiny, TestType(0.5)) == tiny / TestType(2));  // gradual underflow
  {
    descent::FlushDenormals flush;
    CHECK(multiply(tiny, TestType(0.5)) == TestType(0));       // result flushed (FTZ)
    CHECK(multiply(denormal, TestType(1024)) == TestType(0));  // input read as zero (DAZ)
    {
      descent::FlushDenormals nested;
      CHECK(multiply(tiny, TestType(0.5)) == TestType(0));
    }
    CHECK(multiply(tiny, TestType(0.5)) == TestType(0));  // the outer scope still holds
  }
  CHECK(multiply(tiny, TestType(0.5)) == tiny / TestType(2));  // restored
  CHECK(multiply(denormal, TestType(1024)) == denormal * TestType(1024));
}

TEST_CASE("An Adam step on denormal gradients gives zero moments under FlushDenormals",
          "[numeric]") {
  if (!descent::FlushDenormals::active()) {
    WARN("no flush-to-zero control on this platform: nothing to test");
    return;
  }
  // g = 1e-39 (a float denormal): without the scope m = 0.1 g is a denormal; with it, g reads
  // as zero, so m and v stay exactly zero and p does not move.
  Eigen::ArrayXf p = Eigen::ArrayXf::Constant(19, 1.0f), g = Eigen::ArrayXf::Constant(19, 1e-39f);
  descent::Adam<float> plain(descent::AdamOptions(1e-3));
  plain.add("p", p, g);
  plain.step();
  CHECK(plain.state("p").exp_avg(0) > 0.0f);
  CHECK(plain.state("p").exp_avg(0) < std::numeric_limits<float>::min());

  Eigen::ArrayXf q = Eigen::ArrayXf::Constant(19, 1.0f), h = g;
  descent::Adam<float> flushed(descent::AdamOptions(1e-3));
  flushed.add("q", q, h);
  {
    descent::FlushDenormals flush;
    flushed.step();
  }
  CHECK((flushed.state("q").exp_avg == 0.0f).all());
  CHECK((flushed.state("q").exp_avg_sq == 0.0f).all());
  CHECK((q == 1.0f).all());
}
