// Simulation speed of the SystemC accelerator platform (issue 6): wall and
// CPU time of one `specmamba run` experiment, simulated cycles and tokens per
// wall second, peak RSS.
#include <fmt/format.h>

#include <ctime>
#include <memory>

#include "bench/Benchmarks.h"
#include "sim/platform/GoldenModel.h"
#include "sim/platform/Platform.h"
#include "sim/platform/RunReport.h"

namespace specmamba::bench {

namespace {

struct Options {
  std::string experiment = "lightmamba-vck190-w4a4";
  int tokens = 0;  // 0: the experiment's
  int reuse = -1;  // -1: the experiment's reuse_after_layers
};

double cpuSeconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

int run(const Options& o) {
  using namespace platform;
  Experiment e = loadExperiment(o.experiment);
  if (o.tokens > 0) e.tokens = o.tokens;
  if (o.reuse >= 0) e.reuseAfterLayers = o.reuse;
  auto t0 = std::chrono::steady_clock::now();
  const auto golden = e.mode == RunMode::Functional ? makeGoldenModel(e) : nullptr;
  const double setup = secondsSince(t0);
  t0 = std::chrono::steady_clock::now();
  const double c0 = cpuSeconds();
  const RunResult r = runPlatform(e, golden ? golden->model.get() : nullptr);
  const double wall = secondsSince(t0), cpu = cpuSeconds() - c0;
  const RunFigures f = runFigures(e, r);
  // Cycles the run stands for: every decode token of the experiment.
  const double passes = double(e.prompt.size()) + e.tokens - 1;
  const double cycles = double(r.cyclesPerToken) * passes;
  fmt::print(
      "platform experiment={} mode={} model={} tokens={} passes={} simulated_layers_per_pass={} "
      "wall_s={:.3f} cpu_s={:.3f} setup_s={:.2f} simulated_cycles={:.0f} cycles_per_wall_s={:.3g} "
      "tokens_per_wall_s={:.1f} simulated_tokens_per_s={:.3f} peak_rss_MiB={:.0f}\n",
      e.name, runModeName(e.mode), e.model.name, e.tokens, passes, r.simulatedLayers, wall, cpu,
      setup, cycles, cycles / wall, passes / wall, f.tokensPerSecond, peakRssMiB());
  return 0;
}

}  // namespace

void addPlatformBench(CLI::App& app, Runner& runner) {
  auto* cmd = app.add_subcommand("platform",
                                 "SystemC platform: simulated cycles and tokens per wall second");
  auto o = std::make_shared<Options>();
  cmd->add_option("--experiment", o->experiment)->capture_default_str();
  cmd->add_option("--tokens", o->tokens, "Generated tokens (0: the experiment's)")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--reuse-after-layers", o->reuse,
                  "Timing-only layer reuse (0: simulate every layer)")
      ->check(CLI::Range(-1, 1 << 20));
  cmd->callback([&runner, o]() { runner = [o]() { return run(*o); }; });
}

}  // namespace specmamba::bench
