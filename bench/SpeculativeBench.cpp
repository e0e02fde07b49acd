// Simulation speed of a speculative platform run (issue 13): a timing-only
// 2.7B target + 130m draft experiment, wall and CPU time, simulated cycles
// and generated tokens per wall second, peak RSS.
#include <fmt/format.h>

#include <ctime>
#include <memory>

#include "bench/Benchmarks.h"
#include "sim/platform/Experiment.h"
#include "sim/speculative/SpeculativeReport.h"
#include "sim/speculative/SpeculativeScheduler.h"

namespace specmamba::bench {

namespace {

struct Options {
  std::string experiment = "specmamba-vck190";
  int tokens = 256;
};

int run(const Options& o) {
  using namespace platform;
  Experiment e = loadExperiment(o.experiment);
  if (!e.speculative || e.mode != RunMode::TimingOnly) {
    fmt::print(stderr, "speculative bench: {} is not a timing-only speculative experiment\n", e.name);
    return 2;
  }
  e.tokens = o.tokens;
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = double(std::clock()) / CLOCKS_PER_SEC;
  const SpeculativeRunResult r = runSpeculative(e, nullptr, nullptr);
  const double wall = secondsSince(t0), cpu = double(std::clock()) / CLOCKS_PER_SEC - c0;
  const SpeculativeFigures f = speculativeFigures(e, r);
  // Cycles the run stands for: every step of the experiment.
  const double cycles = double(r.draftCycles + r.verifyCycles + r.commitCycles);
  fmt::print(
      "speculative experiment={} model={} draft={} tree={} tokens={} steps={} wall_s={:.3f} "
      "cpu_s={:.3f} simulated_cycles={:.0f} cycles_per_wall_s={:.3g} tokens_per_wall_s={:.1f} "
      "simulated_tokens_per_s={:.3f} peak_rss_MiB={:.0f}\n",
      e.name, e.model.name, e.speculative->draft.name, e.speculative->treeText, r.generated,
      r.steps, wall, cpu, cycles, cycles / wall, r.generated / wall, f.tokensPerSecond,
      peakRssMiB());
  return 0;
}

}  // namespace

void addSpeculativeBench(CLI::App& app, Runner& runner) {
  auto* cmd = app.add_subcommand(
      "speculative", "Speculative platform run (timing-only): simulated cycles per wall second");
  auto o = std::make_shared<Options>();
  cmd->add_option("--experiment", o->experiment)->capture_default_str();
  cmd->add_option("--tokens", o->tokens, "Generated tokens")->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->callback([&runner, o]() { runner = [o]() { return run(*o); }; });
}

}  // namespace specmamba::bench
