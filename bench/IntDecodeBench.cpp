// Integer golden-model decode speed on one core (issue 7): the bit-exact
// model of the accelerator datapath, W4A4 or W8A8, with or without rotation.
#include <fmt/format.h>

#include <memory>
#include <vector>

#include "bench/Benchmarks.h"
#include "models/config/ModelConfig.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/int/Mamba2Int.h"
#include "models/int/OfflineQuantizer.h"
#include "models/weights/SyntheticWeights.h"

namespace specmamba::bench {

namespace {

struct Options {
  std::string model = "mamba2-130m";
  int tokens = 32;
  uint64_t seed = 1;
  std::string precision = "w4a4";
  std::string rotation = "online";
};

int run(const Options& o) {
  const ModelConfig c = loadModelConfig(o.model);
  auto t0 = std::chrono::steady_clock::now();
  SyntheticOptions so;
  so.seed = o.seed;
  const Mamba2Weights w = makeSyntheticWeights(c, so);
  const double genSeconds = secondsSince(t0);
  t0 = std::chrono::steady_clock::now();
  const IntModelWeights q =
      quantizeModel(w, {parsePrecision(o.precision), parseRotationMode(o.rotation)});
  const double quantSeconds = secondsSince(t0);
  const Mamba2Int model(q);
  const double s = timeGreedyDecode(model, o.tokens);
  fmt::print(
      "int-decode model={} precision={} rotation={} tokens={} wall_s={:.3f} tokens_per_s={:.2f} "
      "synth_weights_s={:.2f} quantize_s={:.2f} peak_rss_MiB={:.0f}\n",
      c.name, o.precision, o.rotation, o.tokens, s, o.tokens / s, genSeconds, quantSeconds,
      peakRssMiB());
  return 0;
}

}  // namespace

void addIntDecodeBench(CLI::App& app, Runner& runner) {
  auto* cmd = app.add_subcommand("int-decode", "Integer golden-model decode tokens/s, one core");
  auto o = std::make_shared<Options>();
  addDecodeOptions(cmd, o->model, o->tokens, o->seed);
  cmd->add_option("--precision", o->precision)
      ->check(CLI::IsMember({"w4a4", "w8a8"}))
      ->capture_default_str();
  cmd->add_option("--rotation", o->rotation)
      ->check(CLI::IsMember({"online", "offline-only", "none"}))
      ->capture_default_str();
  cmd->callback([&runner, o]() { runner = [o]() { return run(*o); }; });
}

}  // namespace specmamba::bench
