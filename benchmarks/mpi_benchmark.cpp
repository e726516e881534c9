// GradientAverager::average() under MPI: one block of 1e3 to 1e7 float and double gradients,
// and 1,000 blocks of 1,000 floats packed into one bucket against one bucket (one
// MPI_Iallreduce) per block. Run it under mpirun (benchmarks/run_mpi.sh):
//   mpirun -np 2 mpi_benchmark [--benchmark_out=out.json --benchmark_out_format=json]
// Every rank runs every benchmark, in the same order and for the same fixed number of
// iterations, so that the collectives match; only rank 0 reports (and writes --benchmark_out).
// Each iteration starts after a barrier and its time is the slowest rank's (manual time). With
// one process average() returns at once: that row is the no-communication floor.
#include <benchmark/benchmark.h>
#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <descent/dist/mpi.hpp>
#include <descent/optimizers.hpp>

namespace {

// Drops every report: what the ranks other than 0 get.
class NullReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

// Times averager.average() over the state's iterations: a barrier, then the call, and the
// iteration's time is the maximum over the ranks (the rank that finishes last is the one the
// next training step waits for).
template <class Averager>
void time_average(benchmark::State& state, Averager& averager) {
  // The first reductions (connection set-up, first touch of the buffers) are not timed.
  for (int warm_up = 0; warm_up < 3; ++warm_up) averager.average();
  for (auto _ : state) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    averager.average();
    double seconds = MPI_Wtime() - t0;
    MPI_Allreduce(MPI_IN_PLACE, &seconds, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    state.SetIterationTime(seconds);
  }
  state.counters["bytes/s"] = benchmark::Counter(double(averager.bytes_per_average()),
                                                 benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1024);
  state.counters["buckets"] = double(averager.num_buckets());
  state.counters["ranks"] = double(averager.ranks());
}

// `blocks` gradient blocks of `n` elements each, averaged with buckets of `bucket_bytes`.
template <class S>
void BM_Average(benchmark::State& state, std::int64_t blocks, std::int64_t n,
                std::size_t bucket_bytes) {
  using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
  // Sized once: the optimizer keeps references to the blocks.
  std::vector<Vector> values(std::size_t(blocks), Vector::Zero(n));
  std::vector<Vector> gradients(std::size_t(blocks),
                                Vector::Constant(n, S(descent::dist::rank() + 1)));
  descent::Sgd<S> opt(descent::SgdOptions(0.1));
  for (std::size_t k = 0; k < values.size(); ++k) {
    opt.add("block" + std::to_string(k), values[k], gradients[k]);
  }
  descent::dist::GradientAverager<descent::Sgd<S>> averager(
      opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().bucket_bytes(bucket_bytes));
  time_average(state, averager);
}

// Fewer iterations for larger sizes keep the whole run to a few seconds per process count.
std::int64_t iterations_for(std::int64_t n) {
  if (n <= 10000) return 2000;
  if (n <= 100000) return 500;
  if (n <= 1000000) return 50;
  return 10;
}

constexpr std::size_t kDefaultBucket = std::size_t(4) << 20;  // AveragerOptions' default

template <class S>
void register_one_block(const std::string& type) {
  for (std::int64_t n : {1000, 10000, 100000, 1000000, 10000000}) {
    benchmark::RegisterBenchmark(("BM_Average<" + type + ">/" + std::to_string(n)).c_str(),
                                 BM_Average<S>, std::int64_t(1), n, kDefaultBucket)
        ->Iterations(iterations_for(n))
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
  }
}

// 1,000 blocks of 1,000 floats (4 MB): packed into one bucket by default, or one bucket per
// block when a bucket holds exactly one block (4,000 bytes).
void register_many_blocks() {
  const std::int64_t blocks = 1000, n = 1000;
  const std::size_t per_block = std::size_t(n) * sizeof(float);
  struct Variant {
    const char* label;
    std::size_t bucket_bytes;
  };
  for (const Variant& v :
       {Variant{"bucketed", kDefaultBucket}, Variant{"bucket_per_block", per_block}}) {
    benchmark::RegisterBenchmark(
        (std::string("BM_AverageBlocks<float>/1000x1000/") + v.label).c_str(), BM_Average<float>,
        blocks, n, v.bucket_bytes)
        ->Iterations(200)
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
  }
}

bool starts_with(const char* s, const char* prefix) {
  return std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  descent::dist::Environment mpi(argc, argv);
  const bool root = descent::dist::rank() == 0;
  // Only rank 0 writes the output file: the other ranks forget --benchmark_out*.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (root || i == 0 || !starts_with(argv[i], "--benchmark_out")) args.push_back(argv[i]);
  }
  int count = int(args.size());
  args.push_back(nullptr);
  char** arguments = args.data();
  benchmark::Initialize(&count, arguments);
  if (benchmark::ReportUnrecognizedArguments(count, arguments)) return 1;

  register_one_block<float>("float");
  register_one_block<double>("double");
  register_many_blocks();

  if (root) {
    benchmark::RunSpecifiedBenchmarks();
  } else {
    NullReporter null_reporter;
    benchmark::RunSpecifiedBenchmarks(&null_reporter);
  }
  benchmark::Shutdown();
  return 0;
}
