#pragma once
/// How a checkpoint records settings: each rule's options (restored on load), each policy's and
/// ReduceOnPlateau's settings (compared on load), as named doubles.

#include <string>
#include <vector>

#include "descent/averaging/ema.hpp"
#include "descent/averaging/polyak.hpp"
#include "descent/checkpoint/error.hpp"
#include "descent/checkpoint/file_format.hpp"
#include "descent/gradients/check_finite.hpp"
#include "descent/gradients/clip_norm.hpp"
#include "descent/gradients/clip_value.hpp"
#include "descent/regularizers/l1.hpp"
#include "descent/regularizers/l2.hpp"
#include "descent/regularizers/proximal_l1.hpp"
#include "descent/regularizers/weight_decay.hpp"
#include "descent/rules/adagrad.hpp"
#include "descent/rules/adam.hpp"
#include "descent/rules/momentum.hpp"
#include "descent/rules/rmsprop.hpp"
#include "descent/rules/sgd.hpp"
#include "descent/schedules/reduce_on_plateau.hpp"

namespace descent {

/// Reads the settings of one saved record by name; a missing name, or a flag that is neither 0
/// nor 1, is a CheckpointError.
class SavedSettings {
 public:
  SavedSettings(const std::vector<detail::SavedSetting>& settings, std::string owner)
      : settings_(settings), owner_(std::move(owner)) {}
  double operator()(const char* name) const {
    for (const detail::SavedSetting& s : settings_) {
      if (s.name == name) return s.value;
    }
    throw CheckpointError(owner_ + ": setting " + name + " is not in the checkpoint");
  }
  bool flag(const char* name) const {
    const double value = (*this)(name);
    if (value != 0.0 && value != 1.0) {
      throw CheckpointError(owner_ + ": setting " + name + " is " + detail::format_value(value) +
                            ", not 0 or 1");
    }
    return value == 1.0;
  }

 private:
  const std::vector<detail::SavedSetting>& settings_;
  std::string owner_;
};

/// A rule's options as named values and back. Specialize it for a rule of your own:
///   static std::vector<detail::SavedSetting> get(const Options&);
///   static Options make(const SavedSettings&);
template <class Rule>
struct RuleSettings;

template <>
struct RuleSettings<rules::Sgd> {
  static std::vector<detail::SavedSetting> get(const SgdOptions& o) { return {{"lr", o.lr()}}; }
  static SgdOptions make(const SavedSettings& s) { return SgdOptions(s("lr")); }
};

template <bool IsNesterov>
struct RuleSettings<rules::MomentumRule<IsNesterov>> {
  static std::vector<detail::SavedSetting> get(const MomentumOptions& o) {
    return {{"lr", o.lr()}, {"momentum", o.momentum()}, {"dampening", o.dampening()}};
  }
  static MomentumOptions make(const SavedSettings& s) {
    return MomentumOptions(s("lr")).momentum(s("momentum")).dampening(s("dampening"));
  }
};

template <>
struct RuleSettings<rules::Adam> {
  static std::vector<detail::SavedSetting> get(const AdamOptions& o) {
    return {{"lr", o.lr()},
            {"beta1", o.beta1()},
            {"beta2", o.beta2()},
            {"eps", o.eps()},
            {"amsgrad", o.amsgrad() ? 1.0 : 0.0}};
  }
  static AdamOptions make(const SavedSettings& s) {
    return AdamOptions(s("lr"))
        .betas(s("beta1"), s("beta2"))
        .eps(s("eps"))
        .amsgrad(s.flag("amsgrad"));
  }
};

template <>
struct RuleSettings<rules::RMSprop> {
  static std::vector<detail::SavedSetting> get(const RMSpropOptions& o) {
    return {{"lr", o.lr()},
            {"alpha", o.alpha()},
            {"eps", o.eps()},
            {"momentum", o.momentum()},
            {"centered", o.centered() ? 1.0 : 0.0}};
  }
  static RMSpropOptions make(const SavedSettings& s) {
    return RMSpropOptions(s("lr"))
        .alpha(s("alpha"))
        .eps(s("eps"))
        .momentum(s("momentum"))
        .centered(s.flag("centered"));
  }
};

template <>
struct RuleSettings<rules::Adagrad> {
  static std::vector<detail::SavedSetting> get(const AdagradOptions& o) {
    return {{"lr", o.lr()},
            {"lr_decay", o.lr_decay()},
            {"initial_accumulator_value", o.initial_accumulator_value()},
            {"eps", o.eps()}};
  }
  static AdagradOptions make(const SavedSettings& s) {
    return AdagradOptions(s("lr"))
        .lr_decay(s("lr_decay"))
        .initial_accumulator_value(s("initial_accumulator_value"))
        .eps(s("eps"));
  }
};

namespace detail {

// A policy's name and settings; an overload per policy (add one for a policy of your own).
inline SavedPolicy policy_settings(const L1& p) { return {"L1", {{"lambda", p.lambda()}}}; }
inline SavedPolicy policy_settings(const L2& p) { return {"L2", {{"lambda", p.lambda()}}}; }
inline SavedPolicy policy_settings(const ProximalL1& p) {
  return {"ProximalL1", {{"lambda", p.lambda()}}};
}
inline SavedPolicy policy_settings(const WeightDecay& p) {
  return {"WeightDecay", {{"decay", p.decay()}}};
}
inline SavedPolicy policy_settings(const ClipValue& p) {
  return {"ClipValue", {{"clip", p.clip()}}};
}
inline SavedPolicy policy_settings(const ClipNorm& p) {
  return {"ClipNorm", {{"max_norm", p.max_norm()}}};
}
inline SavedPolicy policy_settings(const ClipGlobalNorm& p) {
  return {"ClipGlobalNorm", {{"max_norm", p.max_norm()}}};
}
inline SavedPolicy policy_settings(const CheckFinite& p) {
  return {"CheckFinite", {{"action", double(int(p.action()))}}};
}
inline SavedPolicy policy_settings(const Ema& p) {
  return {"Ema", {{"decay", p.decay()}, {"start", double(p.start())}}};
}
inline SavedPolicy policy_settings(const Polyak& p) {
  return {"Polyak", {{"start", double(p.start())}}};
}

/// "L2(lambda=0.01)", as messages show a policy.
inline std::string describe(const SavedPolicy& policy) {
  std::string text = policy.name + "(";
  for (std::size_t i = 0; i < policy.settings.size(); ++i) {
    if (i > 0) text += ", ";
    text += policy.settings[i].name + "=" + format_value(policy.settings[i].value);
  }
  return text + ")";
}

inline std::vector<SavedSetting> plateau_settings(const ReduceOnPlateauOptions& o) {
  return {{"mode", double(int(o.mode()))},
          {"factor", o.factor()},
          {"patience", double(o.patience())},
          {"threshold", o.threshold()},
          {"threshold_mode", double(int(o.threshold_mode()))},
          {"cooldown", double(o.cooldown())},
          {"min_lr", o.min_lr()},
          {"eps", o.eps()}};
}

}  // namespace detail
}  // namespace descent
