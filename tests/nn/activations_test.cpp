// Activations: values at hand-picked points, and backward against finite differences.
#include <catch2/catch.hpp>
#include <descent/nn/activations.hpp>
#include <descent/random/rng.hpp>
#include <limits>

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

TEMPLATE_TEST_CASE("ReLU and LeakyReLU agree with their scalar definitions over packets and tail",
                   "[nn][activations]", float, double) {
  // 37 elements: full SIMD packets and a scalar tail; signs mixed, zeros included (f'(0) = 0 as
  // in PyTorch), and a ReLU backward that drops an infinite gradient where z <= 0.
  using A = Eigen::Array<TestType, Eigen::Dynamic, 1>;
  const TestType inf = std::numeric_limits<TestType>::infinity();
  A z(37), g(37);
  for (Eigen::Index i = 0; i < 37; ++i) {
    z(i) = TestType(i % 5 == 0 ? 0.0 : (i % 3 == 0 ? -1.0 : 1.0) * double(i) * 0.25);
    g(i) = i % 7 == 0 ? inf : TestType(1.5 - 0.1 * double(i));
  }
  const TestType slope = TestType(0.2);
  A relu_a(37), relu_g(37), leaky_a(37), leaky_g(37);
  descent::nn::Relu().forward(z, relu_a);
  descent::nn::Relu().backward(z, relu_a, g, relu_g);
  descent::nn::LeakyRelu(0.2).forward(z, leaky_a);
  descent::nn::LeakyRelu(0.2).backward(z, leaky_a, g, leaky_g);
  for (Eigen::Index i = 0; i < 37; ++i) {
    INFO("element " << i << ", z = " << z(i) << ", g = " << g(i));
    const bool positive = z(i) > TestType(0);
    CHECK(relu_a(i) == (positive ? z(i) : TestType(0)));
    CHECK(relu_g(i) == (positive ? g(i) : TestType(0)));
    CHECK(leaky_a(i) == (positive ? z(i) : slope * z(i)));
    CHECK(leaky_g(i) == (positive ? g(i) : slope * g(i)));
  }
}
