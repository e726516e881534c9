// Hostile input: a checkpoint saved from a float optimizer loaded into a double one, and vice
// versa. Reals are stored at the optimizer's own width, so neither direction is converted:
// both throw CheckpointError naming both types, in strict and partial mode, changing nothing.
// (tests/checkpoint/mismatch_test.cpp checks the message of double -> float.)
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

using Catch::Matchers::Contains;

namespace {

template <class From, class To>
void check_refused(const std::string& message) {
  Eigen::Matrix<From, 2, 2> saved_w = Eigen::Matrix<From, 2, 2>::Constant(From(0.5)), saved_g;
  saved_g.setConstant(From(0.25));
  descent::Adam<From> saved(descent::AdamOptions(0.1));
  saved.add("w", saved_w, saved_g);
  saved.step();
  const std::string bytes = descent::Checkpoint().add("model", saved).to_bytes();

  Eigen::Matrix<To, 2, 2> w = Eigen::Matrix<To, 2, 2>::Constant(To(3)), g;
  g.setConstant(To(1));
  descent::Adam<To> live(descent::AdamOptions(0.1));
  live.add("w", w, g);
  live.step();
  descent::Checkpoint checkpoint;
  checkpoint.add("model", live);
  const std::string before = checkpoint.to_bytes();
  for (descent::LoadMode mode : {descent::LoadMode::strict, descent::LoadMode::partial}) {
    CHECK_THROWS_AS(checkpoint.from_bytes(bytes, mode), descent::CheckpointError);
    CHECK_THROWS_WITH(checkpoint.from_bytes(bytes, mode), Contains(message));
    CHECK(checkpoint.to_bytes() == before);
    CHECK(live.step_count() == 1);
  }
}

}  // namespace

TEST_CASE("A float checkpoint loaded into a double optimizer is refused in both modes",
          "[hardening]") {
  check_refused<float, double>(
      "optimizer \"model\": saved scalar type float, optimizer has double");
}

TEST_CASE("A double checkpoint loaded into a float optimizer is refused in both modes",
          "[hardening]") {
  check_refused<double, float>(
      "optimizer \"model\": saved scalar type double, optimizer has float");
}
