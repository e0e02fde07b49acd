// FP32 golden-model decode speed on one core (issue: foundation).
#include <fmt/format.h>

#include <memory>
#include <vector>

#include "bench/Benchmarks.h"
#include "models/config/ModelConfig.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/weights/SyntheticWeights.h"

namespace specmamba::bench {

namespace {

struct Options {
  std::string model = "mamba2-130m";
  int tokens = 32;
  uint64_t seed = 1;
};

int run(const Options& o) {
  const ModelConfig c = loadModelConfig(o.model);
  auto t0 = std::chrono::steady_clock::now();
  SyntheticOptions so;
  so.seed = o.seed;
  const Mamba2Weights w = makeSyntheticWeights(c, so);
  const double genSeconds = secondsSince(t0);
  const Mamba2Fp32 model(w);
  const double s = timeGreedyDecode(model, o.tokens);
  const double weightBytes = double(c.weightBytes(32));
  fmt::print("fp32-decode model={} tokens={} wall_s={:.3f} tokens_per_s={:.2f} "
             "weight_stream_GBps={:.2f} synth_weights_s={:.2f} peak_rss_MiB={:.0f}\n",
             c.name, o.tokens, s, o.tokens / s, weightBytes * o.tokens / s / 1e9, genSeconds,
             peakRssMiB());
  return 0;
}

}  // namespace

void addFp32DecodeBench(CLI::App& app, Runner& runner) {
  auto* cmd = app.add_subcommand("fp32-decode", "FP32 golden-model decode tokens/s, one core");
  auto o = std::make_shared<Options>();
  addDecodeOptions(cmd, o->model, o->tokens, o->seed);
  cmd->callback([&runner, o]() { runner = [o]() { return run(*o); }; });
}

}  // namespace specmamba::bench
