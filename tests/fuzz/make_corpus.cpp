// Writes the checkpoint fuzzer's seed corpus (tests/fuzz/corpus/): small valid checkpoints of
// the fuzzer's live objects. Regenerate with scripts/fuzz.sh --corpus (the files are checked in
// so the corpus does not change unless the format or the fixture does).
#include <cstdio>
#include <fstream>
#include <string>

#include <descent/descent.hpp>

#include "fixture.hpp"

namespace {

void write(const std::string& directory, const std::string& name, const std::string& bytes) {
  std::ofstream out(directory + "/" + name, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + directory + "/" + name);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIRECTORY\n", argv[0]);
    return 2;
  }
  const std::string directory = argv[1];
  fuzz::Live live;
  live.train(3);
  write(directory, "all_3_steps.ckpt", live.all().to_bytes());
  write(directory, "adam_float_amsgrad_ema.ckpt", fuzz::single(live.adam).to_bytes());
  write(directory, "momentum_double_plateau.ckpt", fuzz::single(live.momentum).to_bytes());
  fuzz::Live fresh;
  write(directory, "all_0_steps.ckpt", fresh.all().to_bytes());
  // A double Adam without AMSGrad: another scalar type and structure than the live ones.
  Eigen::VectorXd v = Eigen::VectorXd::Ones(2), gv = Eigen::VectorXd::Constant(2, 0.5);
  descent::Adam<double> other(descent::AdamOptions(0.1));
  other.add("adam.w", v, gv);
  other.step();
  write(directory, "adam_double.ckpt", fuzz::single(other).to_bytes());
  return 0;
}
