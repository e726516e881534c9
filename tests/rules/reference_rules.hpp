#pragma once
// Straightforward scalar reference implementations of the update rules, in double, written from
// the algorithms documented for torch.optim.SGD / Adam / RMSprop / Adagrad. Each is a stateful
// callable `step(p, g)` that updates p in place; its state starts empty and t counts its calls.
// They are deliberately written element by element, with no Eigen, so they share no code with
// the library.

#include <algorithm>
#include <cmath>
#include <vector>

namespace rule_test {

/// p <- p - lr * g
struct SgdReference {
  explicit SgdReference(double lr_) : lr(lr_) {}
  double lr;
  void operator()(std::vector<double>& p, const std::vector<double>& g) {
    for (std::size_t i = 0; i < p.size(); ++i) p[i] -= lr * g[i];
  }
};

/// torch.optim.SGD with momentum mu, dampening d, nesterov:
///   mu != 0:  b <- g on the first step, else b <- mu * b + (1 - d) * g
///             nesterov: g <- g + mu * b, else g <- b
///   p <- p - lr * g
struct MomentumReference {
  MomentumReference(double lr_, double mu_, double dampening_, bool nesterov_ = false)
      : lr(lr_), mu(mu_), dampening(dampening_), nesterov(nesterov_) {}
  double lr, mu, dampening;
  bool nesterov;
  std::vector<double> b;
  void operator()(std::vector<double>& p, const std::vector<double>& g) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      double d = g[i];
      if (mu != 0.0) {
        if (b.size() < p.size()) {
          b.push_back(g[i]);
        } else {
          b[i] = mu * b[i] + (1.0 - dampening) * g[i];
        }
        d = nesterov ? g[i] + mu * b[i] : b[i];
      }
      p[i] -= lr * d;
    }
  }
};

/// torch.optim.Adam, t counted from 1:
///   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  amsgrad: v_max <- max(v_max, v)
///   p <- p - (lr / (1 - b1^t)) * m / (sqrt(v or v_max) / sqrt(1 - b2^t) + eps)
struct AdamReference {
  AdamReference(double lr_, double beta1_, double beta2_, double eps_, bool amsgrad_ = false)
      : lr(lr_), beta1(beta1_), beta2(beta2_), eps(eps_), amsgrad(amsgrad_) {}
  double lr, beta1, beta2, eps;
  bool amsgrad;
  std::vector<double> m, v, v_max;
  int t = 0;
  void operator()(std::vector<double>& p, const std::vector<double>& g) {
    ++t;
    m.resize(p.size(), 0.0);
    v.resize(p.size(), 0.0);
    v_max.resize(p.size(), 0.0);
    const double bias1 = 1.0 - std::pow(beta1, t);
    const double bias2 = 1.0 - std::pow(beta2, t);
    for (std::size_t i = 0; i < p.size(); ++i) {
      m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
      v_max[i] = std::max(v_max[i], v[i]);
      const double second = amsgrad ? v_max[i] : v[i];
      p[i] -= (lr / bias1) * m[i] / (std::sqrt(second) / std::sqrt(bias2) + eps);
    }
  }
};

/// torch.optim.RMSprop:
///   s <- alpha s + (1 - alpha) g^2
///   centered: a <- alpha a + (1 - alpha) g, d = sqrt(s - a^2) + eps;  else d = sqrt(s) + eps
///   mu > 0: b <- mu b + g / d, p <- p - lr b;  else p <- p - lr g / d
struct RMSpropReference {
  RMSpropReference(double lr_, double alpha_, double eps_, double mu_ = 0.0, bool centered_ = false)
      : lr(lr_), alpha(alpha_), eps(eps_), mu(mu_), centered(centered_) {}
  double lr, alpha, eps, mu;
  bool centered;
  std::vector<double> s, a, b;
  void operator()(std::vector<double>& p, const std::vector<double>& g) {
    s.resize(p.size(), 0.0);
    a.resize(p.size(), 0.0);
    b.resize(p.size(), 0.0);
    for (std::size_t i = 0; i < p.size(); ++i) {
      s[i] = alpha * s[i] + (1.0 - alpha) * g[i] * g[i];
      double d = 0.0;
      if (centered) {
        a[i] = alpha * a[i] + (1.0 - alpha) * g[i];
        d = std::sqrt(s[i] - a[i] * a[i]) + eps;
      } else {
        d = std::sqrt(s[i]) + eps;
      }
      if (mu > 0.0) {
        b[i] = mu * b[i] + g[i] / d;
        p[i] -= lr * b[i];
      } else {
        p[i] -= lr * g[i] / d;
      }
    }
  }
};

/// torch.optim.Adagrad, t counted from 1:
///   s <- s + g^2 (s starts at initial_accumulator_value)
///   p <- p - lr / (1 + (t - 1) lr_decay) * g / (sqrt(s) + eps)
struct AdagradReference {
  AdagradReference(double lr_, double lr_decay_, double initial_accumulator_value_, double eps_)
      : lr(lr_),
        lr_decay(lr_decay_),
        initial_accumulator_value(initial_accumulator_value_),
        eps(eps_) {}
  double lr, lr_decay, initial_accumulator_value, eps;
  std::vector<double> s;
  int t = 0;
  void operator()(std::vector<double>& p, const std::vector<double>& g) {
    ++t;
    s.resize(p.size(), initial_accumulator_value);
    const double clr = lr / (1.0 + double(t - 1) * lr_decay);
    for (std::size_t i = 0; i < p.size(); ++i) {
      s[i] += g[i] * g[i];
      p[i] -= clr * g[i] / (std::sqrt(s[i]) + eps);
    }
  }
};

}  // namespace rule_test
