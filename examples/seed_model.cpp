// The seed's Keras-style model in C++: Dense(hidden, relu) -> Dense(1, sigmoid), trained with
// Adam and binary cross-entropy on a binary task, three ways: plain, with L1 + L2 on the
// weights (optimizer policies), and with dropout on the hidden layer (a layer policy).
// Reports loss and accuracy on held-out data.
#include <cstdio>
#include <descent/nn/dense.hpp>
#include <descent/nn/losses.hpp>
#include <descent/optimizers.hpp>
#include <descent/regularizers/l1.hpp>
#include <descent/regularizers/l2.hpp>
#include <numeric>
#include <vector>

using Matrix = Eigen::MatrixXf;

// Inside a circle or not, from 2 informative features and 14 distractors (samples as columns).
void make_data(descent::Rng& rng, Eigen::Index n, Matrix& x, Matrix& y) {
  x.resize(16, n);
  y.resize(1, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = 0; i < 16; ++i) x(i, j) = float(rng.uniform(-1.0, 1.0));
    y(0, j) = x.col(j).head(2).squaredNorm() < 0.5f ? 1.0f : 0.0f;
  }
}

struct Report {
  double loss, accuracy;
};

// Trains `hidden` -> sigmoid output with `opt` for 40 epochs of minibatches of 50.
template <class Hidden, class Optimizer>
Report train(Hidden& hidden, Optimizer& opt, const Matrix& x, const Matrix& y, const Matrix& x_test,
             const Matrix& y_test) {
  descent::Rng rng(2);
  descent::nn::Dense<float, descent::nn::Sigmoid> output(hidden.out(), 1);
  hidden.initialize(descent::nn::Init::he_uniform, rng);
  output.initialize(descent::nn::Init::xavier_uniform, rng);
  hidden.add_to(opt, "dense1");
  output.add_to(opt, "dense2");
  std::vector<Eigen::Index> order(std::size_t(x.cols()));
  std::iota(order.begin(), order.end(), 0);
  const Eigen::Index batch = 50;
  Matrix xb(x.rows(), batch), yb(1, batch), grad;
  for (int epoch = 0; epoch < 40; ++epoch) {
    rng.shuffle(order.begin(), order.end());
    for (Eigen::Index start = 0; start + batch <= x.cols(); start += batch) {
      for (Eigen::Index j = 0; j < batch; ++j) {
        xb.col(j) = x.col(order[std::size_t(start + j)]);
        yb(0, j) = y(0, order[std::size_t(start + j)]);
      }
      descent::nn::bce(output.forward(hidden.forward(xb)), yb, grad);
      hidden.backward(output.backward(grad), descent::nn::Need::parameters);
      opt.step();
    }
  }
  hidden.eval();  // no dropout when evaluating
  const Matrix& p = output.forward(hidden.forward(x_test));
  const double loss = descent::nn::bce(p, y_test, grad);
  const double correct = ((p.array() > 0.5f).cast<float>() == y_test.array()).cast<double>().sum();
  return {loss, correct / double(y_test.cols())};
}

int main() {
  descent::Rng data(1);
  Matrix x, y, x_test, y_test;
  make_data(data, 1000, x, y);
  make_data(data, 2000, x_test, y_test);
  const descent::AdamOptions adam(1e-2);
  const Eigen::Index width = 64;

  descent::nn::Dense<float, descent::nn::Relu> plain_layer(16, width);
  descent::Adam<float> plain_opt(adam);
  const Report plain = train(plain_layer, plain_opt, x, y, x_test, y_test);

  descent::nn::Dense<float, descent::nn::Relu> reg_layer(16, width);
  descent::Adam<float, descent::Constant, descent::L1, descent::L2> reg_opt(
      adam, descent::Constant(), descent::L1(1e-4), descent::L2(1e-3));
  const Report regularized = train(reg_layer, reg_opt, x, y, x_test, y_test);

  descent::nn::Dense<float, descent::nn::Relu, descent::nn::Dropout> drop_layer(
      16, width, descent::nn::Relu(), descent::nn::Dropout(0.3, 7));
  descent::Adam<float> drop_opt(adam);
  const Report dropout = train(drop_layer, drop_opt, x, y, x_test, y_test);

  std::printf("held-out data (2000 samples)   loss     accuracy\n");
  std::printf("plain                          %.4f   %.1f%%\n", plain.loss, 100 * plain.accuracy);
  std::printf("L1(1e-4) + L2(1e-3)            %.4f   %.1f%%\n", regularized.loss,
              100 * regularized.accuracy);
  std::printf("dropout(0.3) on the hidden     %.4f   %.1f%%\n", dropout.loss,
              100 * dropout.accuracy);
  const bool learned =
      plain.accuracy > 0.85 && regularized.accuracy > 0.85 && dropout.accuracy > 0.85;
  return learned ? 0 : 1;
}
