// rtl mode (issue 6): one experiment run with the fast timing twins and again
// with every unit that has RTL Verilated; cycles per pass of both (the
// fidelity figure), per-unit busy cycles, and the rtl run's simulated cycles
// per wall second (the speed figure).
#include <fmt/format.h>

#include <memory>

#include "bench/Benchmarks.h"
#include "sim/platform/GoldenModel.h"
#include "sim/platform/rtl/ModeComparison.h"

namespace specmamba::bench {

namespace {

struct Options {
  std::string experiment = "default";
  int tokens = 2;  // 0: the experiment's
};

int run(const Options& o) {
  using namespace platform;
  Experiment e = loadExperiment(o.experiment);
  if (o.tokens > 0) e.tokens = o.tokens;
  const auto golden = e.mode == RunMode::Functional ? makeGoldenModel(e) : nullptr;
  const Mamba2Int* g = golden ? golden->model.get() : nullptr;
  std::vector<int> want;
  if (g) {
    IntState state = g->initialState();
    want = g->generateGreedy(e.prompt, e.tokens, state);
  }
  const ModeRun fast = runPlatformInChild(e, g);
  e.accel = withUnits(e.accel, "rtl");
  const ModeRun rtl = runPlatformInChild(e, g);
  const double cycles = double(rtl.cyclesPerToken) * rtl.passes;
  fmt::print(
      "rtl-mode experiment={} model={} passes={} cycles_per_pass_fast={} cycles_per_pass_rtl={} "
      "fast_vs_rtl={:+.2f}% golden_tokens_fast={} golden_tokens_rtl={} rtl_wall_s={:.2f} "
      "rtl_cycles_per_wall_s={:.3g} fast_wall_s={:.2f}\n",
      e.name, e.model.name, rtl.passes, fast.cyclesPerToken, rtl.cyclesPerToken,
      100.0 * (double(fast.cyclesPerToken) - double(rtl.cyclesPerToken)) /
          double(rtl.cyclesPerToken),
      !g                    ? "n/a"
      : fast.tokens == want ? "yes"
                            : "NO",
      !g                   ? "n/a"
      : rtl.tokens == want ? "yes"
                           : "NO",
      rtl.wallSeconds, cycles / rtl.wallSeconds, fast.wallSeconds);
  for (int u = 0; u < int(UnitKind::kCount); ++u) {
    fmt::print("  {:<9} {:<4} busy_per_pass fast={} rtl={}\n", unitName(UnitKind(u)),
               e.accel.unitImpl(UnitKind(u)), fast.busy[size_t(u)], rtl.busy[size_t(u)]);
  }
  return 0;
}

}  // namespace

void addRtlModeBench(CLI::App& app, Runner& runner) {
  auto* cmd = app.add_subcommand(
      "rtl-mode", "rtl units vs fast twins: cycles per pass, rtl cycles per wall second");
  auto o = std::make_shared<Options>();
  cmd->add_option("--experiment", o->experiment)->capture_default_str();
  cmd->add_option("--tokens", o->tokens, "Generated tokens (0: the experiment's)")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  cmd->callback([&runner, o]() { runner = [o]() { return run(*o); }; });
}

}  // namespace specmamba::bench
