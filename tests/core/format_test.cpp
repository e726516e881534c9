// Numbers in error messages: the shortest text that reads back as the same double.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <descent/detail/format.hpp>
#include <limits>
#include <stdexcept>
#include <string>

using descent::detail::format_value;

TEST_CASE("format_value() writes the shortest text that reads back exactly", "[core][format]") {
  CHECK(format_value(0.1) == "0.1");
  CHECK(format_value(1.5) == "1.5");
  CHECK(format_value(1e-8) == "1e-08");
  CHECK(format_value(3.0) == "3");
  CHECK(format_value(-0.5) == "-0.5");
  CHECK(format_value(0.999) == "0.999");
  CHECK(format_value(0.0001) == "0.0001");
  CHECK(format_value(1234567.0) == "1234567");
  CHECK(format_value(1e21) == "1e+21");
  CHECK(format_value(1.0 / 3.0) == "0.3333333333333333");      // 16 digits suffice
  CHECK(format_value(0.1 + 0.2) == "0.30000000000000004");     // 17 digits needed
  CHECK(format_value(double(0.1f)) == "0.10000000149011612");  // a float setting, widened
}

TEST_CASE("format_value() names the special values", "[core][format]") {
  CHECK(format_value(std::numeric_limits<double>::quiet_NaN()) == "nan");
  CHECK(format_value(-std::numeric_limits<double>::quiet_NaN()) == "nan");
  CHECK(format_value(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(format_value(0.0) == "0");
  CHECK(format_value(-0.0) == "-0");
}

TEST_CASE("format_value() round-trips the extremes of double", "[core][format]") {
  const double values[] = {std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::lowest(),
                           std::numeric_limits<double>::min(),
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::epsilon(),
                           0.1 * 3.0,
                           -123.456e-7};
  for (double value : values) {
    const std::string text = format_value(value);
    CAPTURE(text);
    CHECK(std::strtod(text.c_str(), nullptr) == value);
  }
}

TEST_CASE("format_shape() writes rows x cols", "[core][format]") {
  CHECK(descent::detail::format_shape(3, 2) == "3x2");
  CHECK(descent::detail::format_shape(0, 7) == "0x7");
}

TEST_CASE("The require_* checks name owner, setting, requirement and value", "[core][format]") {
  using descent::detail::require_non_negative;
  using descent::detail::require_positive;
  using descent::detail::require_unit_interval;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();

  CHECK_NOTHROW(require_non_negative("Owner", "x", 0.0));
  CHECK_THROWS_WITH(require_non_negative("Owner", "x", -2.0),
                    "Owner: x must be finite and >= 0, got -2");
  CHECK_THROWS_WITH(require_non_negative("Owner", "x", inf),
                    "Owner: x must be finite and >= 0, got inf");
  CHECK_THROWS_WITH(require_non_negative("Owner", "x", nan),
                    "Owner: x must be finite and >= 0, got nan");

  CHECK_NOTHROW(require_positive("Owner", "y", 1e-300));
  CHECK_THROWS_WITH(require_positive("Owner", "y", 0.0), "Owner: y must be finite and > 0, got 0");
  CHECK_THROWS_WITH(require_positive("Owner", "y", nan),
                    "Owner: y must be finite and > 0, got nan");

  CHECK_NOTHROW(require_unit_interval("Owner", "z", 0.0));
  CHECK_THROWS_WITH(require_unit_interval("Owner", "z", 1.0), "Owner: z must be in [0, 1), got 1");
  CHECK_THROWS_AS(require_unit_interval("Owner", "z", -1e-300), std::invalid_argument);
}

TEST_CASE("format_value() writes whole numbers without an exponent when that is shorter",
          "[core][format]") {
  using descent::detail::format_value;
  CHECK(format_value(10.0) == "10");
  CHECK(format_value(100.0) == "100");
  CHECK(format_value(120.0) == "120");
  CHECK(format_value(1500.0) == "1500");
  CHECK(format_value(1e20) == "1e+20");  // the exponent form is shorter here
}
