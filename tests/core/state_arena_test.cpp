// The optimizer's state arena (core/state_arena.hpp): each state array's blocks lie one after
// another, never move, start zeroed (or at the rule's initial value), and copies share nothing.

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace {

using Vec = Eigen::ArrayXf;

std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

/// Blocks of the given sizes, with gradients that differ per block and element.
struct Model {
  std::vector<Vec> values, gradients;
  explicit Model(const std::vector<Eigen::Index>& sizes) {
    for (std::size_t b = 0; b < sizes.size(); ++b) {
      values.push_back(Vec::LinSpaced(sizes[b], -1.0f, 1.0f));
      gradients.push_back(Vec::LinSpaced(sizes[b], 0.5f, -0.25f + float(b)));
    }
  }
  template <class Opt>
  void add_to(Opt& opt, const std::string& prefix = "b") {
    for (std::size_t b = 0; b < values.size(); ++b) {
      opt.add(prefix + std::to_string(b), values[b], gradients[b]);
    }
  }
};

}  // namespace

TEST_CASE("Blocks over one buffer get state slots laid out exactly as their values",
          "[core][state_arena]") {
  // Values and gradients are Maps into one buffer each: every state stream then mirrors the
  // values' layout, at the values' page offsets (4,200 bytes per stream: one 16 KiB slab).
  const std::vector<Eigen::Index> offsets{0,    10,   1010,
                                          1017, 1017, 1050};  // sizes 10, 1000, 7, 0, 33
  Vec values = Vec::LinSpaced(1050, -1.0f, 1.0f), gradients = Vec::Constant(1050, 0.5f);
  descent::Adam<float> opt(descent::AdamOptions(1e-2).amsgrad(true));
  for (std::size_t b = 0; b + 1 < offsets.size(); ++b) {
    const Eigen::Index n = offsets[b + 1] - offsets[b];
    opt.add("b" + std::to_string(b), Eigen::Map<Vec>(values.data() + offsets[b], n),
            Eigen::Map<Vec>(gradients.data() + offsets[b], n));
  }
  const auto& first = opt.state(0);
  for (std::size_t b = 0; b + 1 < offsets.size(); ++b) {
    const Eigen::Index n = offsets[b + 1] - offsets[b];
    INFO("block " << b << " of " << n << " floats");
    const auto& state = opt.state(b);
    REQUIRE(state.exp_avg.size() == n);
    REQUIRE(state.exp_avg_sq.size() == n);
    REQUIRE(state.max_exp_avg_sq.size() == n);
    if (n == 0) continue;  // an empty block takes no slot
    CHECK(state.exp_avg.data() - first.exp_avg.data() == offsets[b]);
    CHECK(state.exp_avg_sq.data() - first.exp_avg_sq.data() == offsets[b]);
    CHECK(state.max_exp_avg_sq.data() - first.max_exp_avg_sq.data() == offsets[b]);
    CHECK(address(state.exp_avg.data()) % 4096 == address(values.data() + offsets[b]) % 4096);
    CHECK(address(state.exp_avg_sq.data()) % 4096 == address(values.data() + offsets[b]) % 4096);
    CHECK((state.exp_avg == 0.0f).all());
    CHECK((state.exp_avg_sq == 0.0f).all());
  }
  // The streams are separate runs: no stream's slots overlap another's.
  const auto& last = opt.state(offsets.size() - 2);
  const float* m_begin = first.exp_avg.data();
  const float* m_end = last.exp_avg.data() + last.exp_avg.size();
  const float* v_begin = first.exp_avg_sq.data();
  const float* v_end = last.exp_avg_sq.data() + last.exp_avg_sq.size();
  CHECK((address(m_end) <= address(v_begin) || address(v_end) <= address(m_begin)));
}

TEST_CASE("Blocks of separate arrays get state slots one after another, with little padding",
          "[core][state_arena]") {
  // Separate arrays lie at unrelated page offsets: a slot matches its value's page offset only
  // when that wastes at most 1/16 of it, and otherwise starts at the next 64-byte boundary.
  const std::vector<Eigen::Index> sizes{10, 1000, 7, 33, 1000, 1, 500};  // one 16 KiB slab
  Model model(sizes);
  descent::Adam<float> opt(descent::AdamOptions(1e-2));
  model.add_to(opt);
  for (std::size_t b = 0; b < sizes.size(); ++b) {
    INFO("block " << b << " of " << sizes[b] << " floats");
    const std::uintptr_t slot = address(opt.state(b).exp_avg.data());
    const bool matched = slot % 4096 == address(model.values[b].data()) % 4096;
    CHECK((matched || slot % 64 == 0));
    if (b == 0) {
      CHECK(matched);  // the first slot of a slab always matches
      continue;
    }
    const std::uintptr_t previous_end = address(opt.state(b - 1).exp_avg.data() + sizes[b - 1]);
    REQUIRE(slot >= previous_end);
    const std::uintptr_t padding = slot - previous_end;
    CHECK((padding < 64 || (matched && padding * 16 <= std::uintptr_t(sizes[b]) * 4)));
  }
}

TEST_CASE("Adagrad's state starts at the initial accumulator value in the arena",
          "[core][state_arena]") {
  Model model({5, 70});
  descent::Adagrad<double> unused(descent::AdagradOptions(0.1));  // other scalar type: unaffected
  descent::Adagrad<float> opt(descent::AdagradOptions(0.1).initial_accumulator_value(0.25));
  model.add_to(opt);
  CHECK((opt.state(0).sum == 0.25f).all());
  CHECK((opt.state(1).sum == 0.25f).all());
}

TEST_CASE("States never move: a block added after steps leaves the others' states as they were",
          "[core][state_arena]") {
  // Enough blocks that the streams need several slabs (the first slabs are small).
  std::vector<Eigen::Index> sizes(40, 3000);
  Model model(sizes);
  descent::Adam<float> opt(descent::AdamOptions(1e-2));
  Model head({3000, 3000});
  head.add_to(opt, "head");
  opt.step();
  opt.step();
  const float* m0 = opt.state(0).exp_avg.data();
  const Vec m0_values = opt.state(0).exp_avg, v1_values = opt.state(1).exp_avg_sq;
  model.add_to(opt);
  CHECK(opt.state(0).exp_avg.data() == m0);
  CHECK((opt.state(0).exp_avg == m0_values).all());
  CHECK((opt.state(1).exp_avg_sq == v1_values).all());
  for (std::size_t b = 2; b < opt.num_blocks(); ++b) {
    CHECK((opt.state(b).exp_avg == 0.0f).all());
    CHECK(opt.state(b).steps == 0);
  }
  opt.step();  // every block steps with its own state
  CHECK(opt.state(0).steps == 3);
  CHECK(opt.state(2).steps == 1);
  // A late block's first step is the one a fresh optimizer takes.
  Model fresh({3000});
  descent::Adam<float> alone(descent::AdamOptions(1e-2));
  fresh.add_to(alone);
  alone.step();
  CHECK((model.values[0] == fresh.values[0]).all());
  CHECK((opt.state(2).exp_avg_sq == alone.state(0).exp_avg_sq).all());
}

TEST_CASE("A copied optimizer has state of its own; a moved one keeps its state",
          "[core][state_arena]") {
  Model model({100, 2000, 3});
  descent::Adam<float> opt(descent::AdamOptions(1e-2).amsgrad(true));
  model.add_to(opt);
  opt.step();
  opt.step();
  const descent::Adam<float> copy = opt;
  descent::Adam<float> assigned(descent::AdamOptions(1e-2).amsgrad(true));
  Model other({4});
  other.add_to(assigned);
  assigned = opt;
  const descent::Adam<float>* const twins[] = {&copy, &assigned};
  for (const descent::Adam<float>* twin : twins) {
    REQUIRE(twin->num_blocks() == 3);
    for (std::size_t b = 0; b < 3; ++b) {
      INFO("block " << b);
      CHECK(twin->state(b).exp_avg.data() != opt.state(b).exp_avg.data());
      CHECK((twin->state(b).exp_avg == opt.state(b).exp_avg).all());
      CHECK((twin->state(b).exp_avg_sq == opt.state(b).exp_avg_sq).all());
      CHECK((twin->state(b).max_exp_avg_sq == opt.state(b).max_exp_avg_sq).all());
      CHECK(twin->state(b).steps == 2);
    }
  }
  // Stepping the original leaves the copies' states as they were.
  const Vec copy_m = copy.state(1).exp_avg;
  opt.step();
  CHECK((copy.state(1).exp_avg == copy_m).all());
  CHECK((opt.state(1).exp_avg != copy_m).any());

  // A moved optimizer steps on with the state it had: the same result as an unmoved twin.
  Model a({50, 60}), b({50, 60});
  descent::Adam<float> moved_from(descent::AdamOptions(1e-2)), twin(descent::AdamOptions(1e-2));
  a.add_to(moved_from);
  b.add_to(twin);
  moved_from.step();
  twin.step();
  descent::Adam<float> moved = std::move(moved_from);
  moved.step();
  twin.step();
  CHECK((a.values[0] == b.values[0]).all());
  CHECK((a.values[1] == b.values[1]).all());
  CHECK((moved.state(1).exp_avg_sq == twin.state(1).exp_avg_sq).all());
}

TEST_CASE("A block larger than a slab gets a slot of its own and steps as a small one does",
          "[core][state_arena]") {
  const Eigen::Index n = (Eigen::Index(1) << 18) + 5;  // 1 MiB + 20 bytes of floats per stream
  Model model({3, n, 9});
  descent::Adam<float> opt(descent::AdamOptions(1e-2));
  model.add_to(opt);
  opt.step();
  const auto& big = opt.state(1);
  CHECK(address(big.exp_avg.data()) % 4096 == address(model.values[1].data()) % 4096);
  CHECK(address(big.exp_avg_sq.data()) % 4096 == address(model.values[1].data()) % 4096);
  // m after one step is (1 - beta1) g; the slots of neighbouring blocks are untouched by it.
  CHECK((big.exp_avg == 0.1f * model.gradients[1]).all());
  CHECK((opt.state(0).exp_avg == 0.1f * model.gradients[0]).all());
  CHECK((opt.state(2).exp_avg == 0.1f * model.gradients[2]).all());
}

TEST_CASE("apply refuses a state made for another size or other options, and changes nothing",
          "[core][state_arena][apply]") {
  const descent::rules::Adam rule(descent::AdamOptions(1e-2));
  const descent::rules::Adam amsgrad(descent::AdamOptions(1e-2).amsgrad(true));
  Vec value = Vec::Constant(6, 1.0f), gradient = Vec::Constant(6, 0.5f);
  descent::FlatView<float> p(value.data(), 6), g(gradient.data(), 6);

  descent::RuleState<descent::rules::Adam, float> small(rule, 5);
  CHECK_THROWS_WITH(descent::apply(rule, p, g, small, 1e-2),
                    "Adam: state array \"exp_avg\" has 5 elements, the rule needs 6 for a value of "
                    "size 6");
  descent::RuleState<descent::rules::Adam, float> plain(rule, 6);
  CHECK_THROWS_WITH(descent::apply(amsgrad, p, g, plain, 1e-2),
                    "Adam: state array \"max_exp_avg_sq\" has 0 elements, the rule needs 6 for a "
                    "value of size 6");
  CHECK((value == 1.0f).all());
  CHECK(small.steps == 0);
  CHECK(plain.steps == 0);
  CHECK((plain.exp_avg == 0.0f).all());

  descent::apply(rule, p, g, plain, 1e-2);  // the matching state is accepted
  CHECK(plain.steps == 1);
  CHECK((value < 1.0f).all());

  // A moved RuleState keeps its storage: the second step continues from the first.
  descent::RuleState<descent::rules::Adam, float> moved(std::move(plain));
  CHECK((moved.exp_avg == 0.05f).all());  // (1 - beta1) * g
  descent::apply(rule, p, g, moved, 1e-2);
  CHECK(moved.steps == 2);
  CHECK(((moved.exp_avg - 0.095f).abs() < 1e-7f).all());  // beta1 m + (1 - beta1) g
}
