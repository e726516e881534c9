// Files and generators: atomic save and load, I/O errors, the byte layer, and exact resume of
// dropout masks and SGD shuffles through the generator hook.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "checkpoint/harness.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <dirent.h>
#include <unistd.h>
#endif

namespace {

using Catch::Matchers::Contains;

// A fresh directory under /tmp (or the working directory elsewhere), removed with its files.
struct TempDir {
  std::string path;
  TempDir() {
#if defined(__unix__) || defined(__APPLE__)
    char name[] = "/tmp/descent-ckpt-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    path = name;
#else
    path = ".";
#endif
  }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
#if defined(__unix__) || defined(__APPLE__)
    DIR* dir = ::opendir(path.c_str());
    while (const dirent* entry = ::readdir(dir)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(dir);
#endif
    return names;
  }
  ~TempDir() {
#if defined(__unix__) || defined(__APPLE__)
    for (const std::string& name : files()) std::remove((path + "/" + name).c_str());
    ::rmdir(path.c_str());
#endif
  }
};

std::string read(const std::string& path) { return descent::detail::read_whole_file(path); }

}  // namespace

TEST_CASE("CRC-32 matches the standard check value", "[checkpoint]") {
  const std::string text = "123456789";
  REQUIRE(descent::detail::crc32(reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size()) == 0xCBF43926u);
}

TEST_CASE("ByteWriter writes little-endian fixed-width fields on every platform", "[checkpoint]") {
  descent::detail::ByteWriter out;
  out.u32(0x01020304u);
  out.i64(-2);
  out.f64(1.0);      // 0x3FF0000000000000
  out.scalar(1.0f);  // 0x3F800000
  REQUIRE(out.bytes() == std::string("\x04\x03\x02\x01"
                                     "\xFE\xFF\xFF\xFF\xFF\xFF\xFF\xFF"
                                     "\x00\x00\x00\x00\x00\x00\xF0\x3F"
                                     "\x00\x00\x80\x3F",
                                     24));
  const auto* data = reinterpret_cast<const unsigned char*>(out.bytes().data());
  descent::detail::ByteReader in(data, out.bytes().size(), "test");
  REQUIRE(in.u32("a") == 0x01020304u);
  REQUIRE(in.i64("b") == -2);
  REQUIRE(in.f64("c") == 1.0);
  REQUIRE(in.u32("d") == 0x3F800000u);
  REQUIRE_THROWS_WITH(in.u8("e"), Contains("truncated: e needs 1 bytes, only 0 left"));
}

TEST_CASE("ByteReader refuses a count the remaining bytes cannot hold", "[checkpoint]") {
  descent::detail::ByteWriter out;
  out.u64(3);
  out.f64(1.0);
  out.f64(2.0);
  const auto* data = reinterpret_cast<const unsigned char*>(out.bytes().data());
  descent::detail::ByteReader in(data, out.bytes().size(), "test");
  std::string bytes;
  REQUIRE_THROWS_WITH(in.array_bytes(8, "values", bytes),
                      Contains("values claims 3 elements of 8 bytes, but only 16 bytes are left"));
  REQUIRE(bytes.empty());
}

TEST_CASE("save writes the file atomically and load restores it", "[checkpoint]") {
  TempDir dir;
  const std::string path = dir.path + "/run.ckpt";
  ckpt::Model<double> a, b(4.0);
  descent::Adam<double> saved(descent::AdamOptions(0.1)), live(descent::AdamOptions(0.1));
  a.add_to(saved);
  b.add_to(live);
  ckpt::train(saved, a, 0, 3);
  descent::save_checkpoint(path, saved);
  REQUIRE(read(path) == descent::Checkpoint().add("optimizer", saved).to_bytes());
  REQUIRE(dir.files() == std::vector<std::string>{"run.ckpt"});  // no temporary file left
  REQUIRE(descent::load_checkpoint(path, live).complete());
  ckpt::require_same_optimizer(saved, live);
  REQUIRE(b.w == a.w);

  // Saving again replaces the file; the old content is gone, no temporary left behind.
  ckpt::train(saved, a, 3, 4);
  descent::save_checkpoint(path, saved);
  REQUIRE(read(path) == descent::Checkpoint().add("optimizer", saved).to_bytes());
  REQUIRE(dir.files() == std::vector<std::string>{"run.ckpt"});
}

TEST_CASE("I/O errors raise CheckpointError naming the file", "[checkpoint]") {
  TempDir dir;
  ckpt::Model<double> a;
  descent::Sgd<double> opt;
  a.add_to(opt);
  REQUIRE_THROWS_WITH(descent::load_checkpoint(dir.path + "/missing.ckpt", opt),
                      Contains("missing.ckpt\": cannot open the file"));
  REQUIRE_THROWS_AS(descent::save_checkpoint(dir.path + "/no/such/dir/run.ckpt", opt),
                    descent::CheckpointError);
  REQUIRE(dir.files().empty());
  std::ofstream(dir.path + "/bad.ckpt") << "not a checkpoint";
  REQUIRE_THROWS_WITH(descent::load_checkpoint(dir.path + "/bad.ckpt", opt),
                      Contains("bad.ckpt\": not a descent checkpoint"));
}

TEST_CASE("Saving or loading refuses while the averages are swapped in", "[checkpoint]") {
  ckpt::Model<double> a;
  descent::Sgd<double, descent::Constant, descent::Ema> opt;
  a.add_to(opt);
  opt.step();
  descent::Checkpoint checkpoint;
  checkpoint.add("opt", opt);
  const std::string bytes = checkpoint.to_bytes();
  opt.swap_averages();
  REQUIRE_THROWS_AS(checkpoint.to_bytes(), std::logic_error);
  REQUIRE_THROWS_AS(checkpoint.from_bytes(bytes), std::logic_error);
  opt.swap_averages();
  REQUIRE(checkpoint.from_bytes(bytes).complete());
}

TEST_CASE("A generator resumes its exact stream, spare normal included", "[checkpoint]") {
  descent::Rng saved(42), live(7);
  saved.normal();  // leaves a spare normal for the next call
  const std::string bytes = descent::Checkpoint().add_rng("noise", saved).to_bytes();
  descent::Checkpoint checkpoint;
  checkpoint.add_rng("noise", live);
  REQUIRE(live != saved);
  checkpoint.from_bytes(bytes);
  REQUIRE(live.normal() == saved.normal());  // the spare
  for (int i = 0; i < 100; ++i) REQUIRE(live.next() == saved.next());
}

TEST_CASE("Dropout masks resume exactly through the generator hook", "[checkpoint]") {
  descent::nn::Dropout straight(0.5, 3), first(0.5, 3), resumed(0.5, 99);
  Eigen::MatrixXd a = Eigen::MatrixXd::Ones(4, 5), mask_a, mask_b;
  for (int i = 0; i < 3; ++i) {
    Eigen::MatrixXd x = a, y = a;
    straight.forward(x, mask_a, true);
    first.forward(y, mask_b, true);
  }
  const std::string bytes = descent::Checkpoint().add_rng("dropout1", first.rng()).to_bytes();
  descent::Checkpoint checkpoint;
  checkpoint.add_rng("dropout1", resumed.rng());
  checkpoint.from_bytes(bytes);
  for (int i = 0; i < 3; ++i) {
    Eigen::MatrixXd x = a, y = a;
    straight.forward(x, mask_a, true);
    resumed.forward(y, mask_b, true);
    REQUIRE(mask_a == mask_b);
  }
}

namespace {
// A separable least-squares objective over 10 examples: example i pulls w toward 0.1 * i.
struct Pull {
  Eigen::MatrixXd& w;
  Eigen::MatrixXd& g;
  Eigen::Index num_examples() const { return 10; }
  double operator()(const descent::Batch& batch) {
    g.setZero();
    double loss = 0.0;
    for (Eigen::Index k = 0; k < batch.size(); ++k) {
      const auto r = (w.array() - 0.1 * double(batch[k])).eval();
      g.array() += r;
      loss += 0.5 * r.square().sum();
    }
    g /= double(batch.size());
    return loss / double(batch.size());
  }
};
}  // namespace

TEST_CASE("SGD's shuffles resume exactly: 2 + 2 epochs equal 4", "[checkpoint]") {
  const descent::SGDOptions two = descent::SGDOptions().epochs(2).batch_size(3).seed(5);
  Eigen::MatrixXd w_straight = Eigen::MatrixXd::Ones(2, 2), g_straight = w_straight;
  descent::Momentum<double> straight(descent::MomentumOptions(0.1));
  straight.add("w", w_straight, g_straight);
  Pull pull_straight{w_straight, g_straight};
  descent::SGD(descent::SGDOptions(two).epochs(4)).minimize(pull_straight, straight);

  Eigen::MatrixXd w_first = Eigen::MatrixXd::Ones(2, 2), g_first = w_first;
  descent::Momentum<double> first(descent::MomentumOptions(0.1));
  first.add("w", w_first, g_first);
  Pull pull_first{w_first, g_first};
  descent::SGD sgd_first(two);
  sgd_first.minimize(pull_first, first);
  const std::string bytes =
      descent::Checkpoint().add("opt", first).add_rng("shuffle", sgd_first.rng()).to_bytes();

  Eigen::MatrixXd w_resumed = Eigen::MatrixXd::Zero(2, 2), g_resumed = w_resumed;
  descent::Momentum<double> resumed(descent::MomentumOptions(0.1));
  resumed.add("w", w_resumed, g_resumed);
  Pull pull_resumed{w_resumed, g_resumed};
  descent::SGD sgd_resumed(descent::SGDOptions(two).seed(77));
  descent::Checkpoint checkpoint;
  checkpoint.add("opt", resumed).add_rng("shuffle", sgd_resumed.rng());
  REQUIRE(checkpoint.from_bytes(bytes).complete());
  sgd_resumed.minimize(pull_resumed, resumed);
  REQUIRE(w_resumed == w_straight);
  REQUIRE(resumed.step_count() == straight.step_count());
}

TEST_CASE("One checkpoint holds several optimizers (a GAN's two)", "[checkpoint]") {
  ckpt::Model<float> gen_a, disc_a, gen_b(1.0f), disc_b(2.0f);
  descent::Adam<float> g1(descent::AdamOptions(0.01)), g2(descent::AdamOptions(0.01));
  descent::RMSprop<float> d1(descent::RMSpropOptions(0.01)), d2(descent::RMSpropOptions(0.01));
  gen_a.add_to(g1, "gen.");
  disc_a.add_to(d1, "disc.");
  gen_b.add_to(g2, "gen.");
  disc_b.add_to(d2, "disc.");
  ckpt::train(g1, gen_a, 0, 3);
  ckpt::train(d1, disc_a, 0, 2);
  const std::string bytes = descent::Checkpoint().add("gen", g1).add("disc", d1).to_bytes();
  descent::Checkpoint checkpoint;
  checkpoint.add("disc", d2).add("gen", g2);  // the order does not matter, the names do
  const auto report = checkpoint.from_bytes(bytes);
  REQUIRE(report.loaded.size() == 4);
  ckpt::require_same_optimizer(g1, g2);
  ckpt::require_same_optimizer(d1, d2);
  REQUIRE(gen_b.w == gen_a.w);
  REQUIRE(disc_b.b == disc_a.b);
}
