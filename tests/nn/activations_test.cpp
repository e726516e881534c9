// Activations: values at hand-picked points, and backward against finite differences.
#include <catch2/catch.hpp>
#include <descent/nn/activations.hpp>
#include <descent/random/rng.hpp>

#include "nn/gradient_check.hpp"

using descent::nn::ActivationKind;
using Array = Eigen::ArrayXXd;

namespace {

// z avoids a neighbourhood of 0, where relu and leaky relu have their kink.
Array test_inputs() {
  descent::Rng rng(7);
  Array z(3, 5);
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    const double u = rng.uniform(0.1, 3.0);
    z.data()[i] = rng.uniform() < 0.5 ? -u : u;
  }
  return z;
}

// backward(z, f(z), w) against the finite-difference gradient of sum(w .* f(z)).
template <class F>
double gradient_error(const F& f) {
  Eigen::MatrixXd z = test_inputs().matrix();
  const Array w = Array::Random(3, 5);
  auto loss = [&] {
    Array a(3, 5);
    f.forward(z.array(), a);
    return (w * a).sum();
  };
  Array a(3, 5), grad(3, 5);
  f.forward(z.array(), a);
  f.backward(z.array(), a, w, grad);
  const Eigen::MatrixXd numeric = descent_test::numerical_gradient(z, loss);
  return descent_test::relative_error(grad.matrix(), numeric);
}

}  // namespace

TEST_CASE("Every activation's backward matches finite differences", "[nn][activations]") {
  CHECK(gradient_error(descent::nn::Identity()) < 1e-6);
  CHECK(gradient_error(descent::nn::Relu()) < 1e-6);
  CHECK(gradient_error(descent::nn::LeakyRelu(0.2)) < 1e-6);
  CHECK(gradient_error(descent::nn::Tanh()) < 1e-6);
  CHECK(gradient_error(descent::nn::Sigmoid()) < 1e-6);
  for (auto kind : {ActivationKind::identity, ActivationKind::relu, ActivationKind::leaky_relu,
                    ActivationKind::tanh, ActivationKind::sigmoid}) {
    INFO(descent::nn::to_string(kind));
    CHECK(gradient_error(descent::nn::Activation(kind, 0.3)) < 1e-6);
  }
}

TEMPLATE_TEST_CASE("Activations give their textbook values", "[nn][activations]", float, double) {
  using A = Eigen::Array<TestType, 1, 3>;
  const A z(TestType(-2), TestType(0), TestType(3));
  A a;
  descent::nn::Relu().forward(z, a);
  CHECK((a == A(TestType(0), TestType(0), TestType(3))).all());
  descent::nn::LeakyRelu(0.25).forward(z, a);  // -2 * 0.25 = -0.5
  CHECK((a == A(TestType(-0.5), TestType(0), TestType(3))).all());
  descent::nn::Sigmoid().forward(z, a);  // 1 / (1 + e^2) = 0.11920292202211755
  CHECK(a(0) == Approx(0.11920292202211755));
  CHECK(a(1) == TestType(0.5));
  CHECK(a(2) == Approx(0.9525741268224334));  // 1 / (1 + e^-3)
  descent::nn::Tanh().forward(z, a);
  CHECK(a(0) == Approx(-0.9640275800758169));
  CHECK(a(1) == TestType(0));
}

TEST_CASE("Sigmoid saturates without overflow for large |z|", "[nn][activations]") {
  const Eigen::Array3d z(-800.0, 800.0, -40.0);
  Eigen::Array3d a;
  descent::nn::Sigmoid().forward(z, a);
  CHECK(a(0) >= 0.0);  // e^-800 underflows (Eigen's exp may clamp to e^-709: ~1e-308)
  CHECK(a(0) < 1e-300);
  CHECK(a(1) == 1.0);
  CHECK(a(2) == Approx(4.248354255291589e-18));  // e^-40 / (1 + e^-40)
  CHECK(a.allFinite());
}

TEST_CASE("LeakyRelu rejects a negative slope and names it", "[nn][activations]") {
  CHECK_THROWS_WITH(descent::nn::LeakyRelu(-0.5),
                    "LeakyRelu: slope must be finite and >= 0, got -0.5");
}
