// Dense: the batch layout, backward against finite differences (weights, bias, input; every
// activation; with dropout's mask held fixed), registration in an optimizer, shape errors.
#include <catch2/catch.hpp>
#include <descent/nn/dense.hpp>
#include <descent/optimizers.hpp>

#include "nn/gradient_check.hpp"

using descent::nn::Dense;
using Matrix = Eigen::MatrixXd;

namespace {

// Checks dW, db and dX of L = sum(C .* Y) against finite differences; `before_forward` runs
// before every forward (to replay the same dropout mask).
template <class Layer, class Reset>
void check_layer_gradients(Layer& layer, Reset before_forward) {
  descent::Rng rng(11);
  layer.initialize(descent::nn::Init::xavier_normal, rng);
  layer.bias().setRandom();
  Matrix x = Matrix::Random(layer.in(), 6);
  const Matrix c = Matrix::Random(layer.out(), 6);
  auto loss = [&] {
    before_forward(layer);
    return layer.forward(x).cwiseProduct(c).sum();
  };
  loss();
  layer.backward(c);
  const Matrix dw = layer.weight_grad(), db = layer.bias_grad(), dx = layer.grad_input();
  CHECK(descent_test::relative_error(dw, descent_test::numerical_gradient(layer.weight(), loss)) <
        1e-6);
  CHECK(descent_test::relative_error(db, descent_test::numerical_gradient(layer.bias(), loss)) <
        1e-6);
  CHECK(descent_test::relative_error(dx, descent_test::numerical_gradient(x, loss)) < 1e-6);
}

template <class Layer>
void check_layer_gradients(Layer& layer) {
  check_layer_gradients(layer, [](Layer&) {});
}

}  // namespace

TEST_CASE("Dense computes W X + b with the batch as columns", "[nn][dense]") {
  Dense<double, descent::nn::Identity> layer(2, 3);
  layer.weight() << 1, 2, 3, 4, 5, 6;  // 3 x 2
  layer.bias() << 10, 20, 30;
  Matrix x(2, 2);
  x << 1, -1,  // sample 0 = (1, 0), sample 1 = (-1, 2)
      0, 2;
  Matrix expected(3, 2);
  expected << 11, 13,  // (1*1 + 2*0 + 10, 1*-1 + 2*2 + 10)
      23, 25,          // (3 + 20, -3 + 8 + 20)
      35, 37;          // (5 + 30, -5 + 12 + 30)
  CHECK(layer.forward(x) == expected);
}

TEST_CASE("Dense backward matches finite differences for every activation", "[nn][dense]") {
  SECTION("identity") {
    Dense<double, descent::nn::Identity> layer(4, 3);
    check_layer_gradients(layer);
  }
  SECTION("relu") {
    Dense<double, descent::nn::Relu> layer(4, 3);
    check_layer_gradients(layer);
  }
  SECTION("leaky relu") {
    Dense<double, descent::nn::LeakyRelu> layer(4, 3, descent::nn::LeakyRelu(0.1));
    check_layer_gradients(layer);
  }
  SECTION("tanh") {
    Dense<double, descent::nn::Tanh> layer(4, 3);
    check_layer_gradients(layer);
  }
  SECTION("sigmoid") {
    Dense<double, descent::nn::Sigmoid> layer(4, 3);
    check_layer_gradients(layer);
  }
  SECTION("run-time activation") {
    Dense<double, descent::nn::Activation> layer(4, 3, descent::nn::ActivationKind::tanh);
    check_layer_gradients(layer);
  }
}

TEST_CASE("Dense with dropout backpropagates through the same mask", "[nn][dense][dropout]") {
  using Layer = Dense<double, descent::nn::Tanh, descent::nn::Dropout>;
  Layer layer(5, 8, descent::nn::Tanh(), descent::nn::Dropout(0.5, 3));
  const std::string state = layer.dropout().rng().state();
  // Replaying the generator's state makes every forward draw the same mask, so finite
  // differences see one fixed function.
  check_layer_gradients(layer, [&](Layer& l) { l.dropout().rng().set_state(state); });
}

TEST_CASE("Dense backward writes only what is needed", "[nn][dense]") {
  Dense<double, descent::nn::Relu> layer(3, 2);
  descent::Rng rng(1);
  layer.initialize(descent::nn::Init::he_normal, rng);
  const Matrix x = Matrix::Random(3, 4), g = Matrix::Random(2, 4);
  layer.forward(x);
  layer.weight_grad().setConstant(7.0);
  layer.backward(g, descent::nn::Need::input);
  CHECK((layer.weight_grad().array() == 7.0).all());
  CHECK(layer.grad_input().rows() == 3);
  CHECK(layer.grad_input().cols() == 4);
  Dense<double, descent::nn::Relu> fresh(3, 2);
  fresh.forward(x);
  CHECK(fresh.backward(g, descent::nn::Need::parameters).size() == 0);
}

TEMPLATE_TEST_CASE("Dense registers its weight and bias as optimizer blocks", "[nn][dense]", float,
                   double) {
  Dense<TestType, descent::nn::Relu> layer(3, 2);
  descent::Sgd<TestType> opt(descent::SgdOptions(0.5));
  layer.add_to(opt, "gen.dense1");
  CHECK(opt.block("gen.dense1.weight").rows() == 2);
  CHECK(opt.block("gen.dense1.weight").cols() == 3);
  CHECK_FALSE(opt.block("gen.dense1.bias").options().regularize());
  layer.weight_grad().setConstant(TestType(2));
  layer.bias_grad().setConstant(TestType(-1));
  opt.step();  // w = 0 - 0.5 * 2 = -1, b = 0 - 0.5 * -1 = 0.5
  CHECK((layer.weight().array() == TestType(-1)).all());
  CHECK((layer.bias().array() == TestType(0.5)).all());
}

TEST_CASE("Dense rejects bad shapes with messages that give them", "[nn][dense]") {
  CHECK_THROWS_WITH((Dense<double, descent::nn::Relu>(0, 2)), "Dense: in must be >= 1, got 0");
  Dense<double, descent::nn::Relu> layer(3, 2);
  CHECK_THROWS_WITH(layer.forward(Matrix::Zero(4, 5)),
                    "Dense: input must have 3 rows (features), got 4x5");
  layer.forward(Matrix::Zero(3, 5));
  CHECK_THROWS_WITH(layer.backward(Matrix::Zero(2, 4)),
                    "Dense: backward expects a gradient of shape 2x5 (the last forward's "
                    "output), got 2x4");
}
