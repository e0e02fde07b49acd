// `specmamba run EXPERIMENT.json`: the SystemC accelerator platform on one
// experiment (configs/experiments/): tokens/s, cycle breakdown, utilization,
// DRAM bandwidth and bytes per token; functional runs also generate tokens.
#include <fmt/format.h>

#include <memory>

#include "models/common/AtomicFile.h"
#include "models/common/Error.h"
#include "sim/cli/Commands.h"
#include "sim/platform/GoldenModel.h"
#include "sim/platform/Platform.h"
#include "sim/platform/RunReport.h"
#include "sim/platform/rtl/RtlTrace.h"
#include "sim/report/Progress.h"
#include "sim/speculative/SpeculativeReport.h"

namespace specmamba::cli {

namespace {

struct RunOptions {
  std::string experiment;
  std::string json;
  bool quiet = false;
  std::string trace;  // VCD of the rtl units' signals
  int traceLayer = 0;
};

// JSON on stdout (--json -), or the table on stdout and the JSON to a file.
int emitReport(const RunOptions& o, const ExperimentReport& report) {
  if (o.json == "-") {
    fmt::print("{}\n", report.json.dump(2));
    return 0;
  }
  if (!o.json.empty()) writeFileAtomically(o.json, report.json.dump(2) + "\n");
  fmt::print("{}", report.text);
  return 0;
}

ExperimentReport runSpeculativeExperiment(const platform::Experiment& e, Progress& progress) {
  using namespace platform;
  std::unique_ptr<GoldenModel> target, draft;
  if (e.mode == RunMode::Functional) {
    const auto stage = [&](const std::string& s) { progress.stage(s); };
    target = makeGoldenModel(e, stage);
    Experiment de = e;  // the draft: its own model and weights, the same accelerator and rotation
    de.model = e.speculative->draft;
    de.weights = e.speculative->draftWeights;
    de.seed = e.speculative->draftSeed;
    draft = makeGoldenModel(de, [&](const std::string& s) { progress.stage("draft: " + s); });
  }
  progress.stage("simulating");
  const SpeculativeRunResult r = runSpeculative(
      e, target ? target->model.get() : nullptr, draft ? draft->model.get() : nullptr,
      [&](int done, int total) { progress.count(done, total, "tokens"); });
  progress.finish();
  return {speculativeReportJson(e, r), speculativeReportText(e, r)};
}

int runExperiment(const RunOptions& o) {
  using namespace platform;
  const Experiment e = loadExperiment(o.experiment);
  if (!o.trace.empty()) {
    if (e.accel.unitImpl(UnitKind::Mmu) != "rtl") {
      throw ConfigError("--trace records the rtl units while a layer runs, from the MMU's in_proj to its out_proj: "
                        "it needs \"accelerator\": {\"units\": {\"mmu\": \"rtl\", ...}}");
    }
    if (o.traceLayer >= e.model.nLayer) {
      throw ConfigError(fmt::format("--trace-layer {}: {} has {} layers", o.traceLayer, e.model.name, e.model.nLayer));
    }
    rtl::requestTrace(o.trace, o.traceLayer);
  }
  Progress progress("specmamba run", !o.quiet);
  return emitReport(o, runExperimentReport(e, progress));
}

}  // namespace

ExperimentReport runExperimentReport(const platform::Experiment& e, Progress& progress) {
  using namespace platform;
  if (e.speculative) return runSpeculativeExperiment(e, progress);
  std::unique_ptr<GoldenModel> golden;
  if (e.mode == RunMode::Functional) {
    golden = makeGoldenModel(e, [&](const std::string& s) { progress.stage(s); });
  }
  progress.stage("simulating");
  const RunResult r =
      runPlatform(e, golden ? golden->model.get() : nullptr,
                  [&](int done, int total) { progress.count(done, total, "token passes"); });
  progress.finish();
  return {runReportJson(e, r), runReportText(e, r)};
}

void addRunCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("run", "Run an experiment on the SystemC accelerator platform");
  auto o = std::make_shared<RunOptions>();
  cmd->add_option("experiment", o->experiment,
                  "Experiment: a name of configs/experiments (e.g. default) or a JSON path")
      ->required();
  cmd->add_option(
      "--json", o->json,
      "Also write the report as JSON to FILE (\"-\": JSON on stdout instead of the table)");
  cmd->add_flag("--quiet", o->quiet, "No progress line on stderr");
  cmd->add_option("--trace", o->trace,
                  "Write a VCD of the rtl units' Verilated signals to FILE while --trace-layer runs (first pass)");
  cmd->add_option("--trace-layer", o->traceLayer, "Layer the VCD covers")->check(CLI::Range(0, 1 << 20));
  cmd->callback([&action, o]() { action = [o]() { return runExperiment(*o); }; });
}

}  // namespace specmamba::cli
