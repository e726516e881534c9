// The GAN demo: a dense generator learns a 2-D Gaussian mixture (8 modes on a ring, or a 5x5
// grid), trained with descent's optimizers; the mode-coverage metrics are printed at the end.
//   gan --dataset grid --seed 3     (gan --help lists every option)
//   gan --checkpoint run.ckpt ...   saves every 1000 steps; --resume run.ckpt continues the run
//   mpirun -np 2 gan ...            data parallel: each process trains on its own shards
#include <cmath>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "gan/config.hpp"
#include "gan/mixture.hpp"
#include "gan/output.hpp"
#include "gan/team.hpp"
#include "gan/trainer.hpp"

int main(int argc, char** argv) {
  gan::Config config;
  bool root = true;  // with several processes, rank 0 alone prints and writes files
  try {
    const gan::Team team(argc, argv);
    root = team.root();
    if (!gan::parse(std::vector<std::string>(argv + 1, argv + argc), config)) {
      if (root) std::cout << gan::usage();
      return 0;
    }
    const gan::Mixture mixture = gan::mixture_by_name(config.dataset);
    const gan::Run run = gan::train(config, team);
    const bool finite = run.d_loss.empty() ||
                        (std::isfinite(run.d_loss.back()) && std::isfinite(run.g_loss.back()));
    if (!root) return finite ? 0 : 1;
    if (!run.evaluated()) {  // --stop-after
      gan::print_stopped(std::cout, config, run);
      return 0;
    }
    if (config.json) {
      gan::print_json(std::cout, config, run);
    } else {
      gan::print_text(std::cout, config, run);
    }
    if (config.files) {
      const std::string prefix = config.out.empty() ? "gan_" + config.dataset : config.out;
      const std::string written = gan::write_files(prefix, mixture, run);
      if (!config.json) std::cout << "wrote " << written << "\n";
    }
    return finite ? 0 : 1;
  } catch (const std::exception& e) {
    if (root) std::cerr << e.what() << "\n";
    return 2;
  }
}
