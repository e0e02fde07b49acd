// `specmamba run EXPERIMENT.json`: the SystemC accelerator platform on one
// experiment (configs/experiments/): tokens/s, cycle breakdown, utilization,
// DRAM bandwidth and bytes per token; functional runs also generate tokens.
#include <fmt/format.h>

#include <optional>

#include "models/common/AtomicFile.h"
#include "models/common/Error.h"
#include "sim/baseline/GpuBaseline.h"
#include "sim/cli/Commands.h"
#include "sim/platform/rtl/RtlTrace.h"
#include "sim/report/Progress.h"
#include "sim/report/ExperimentReport.h"

namespace specmamba::cli {

namespace {

struct RunOptions {
  std::string experiment;
  std::string json;
  bool quiet = false;
  std::string trace;  // VCD of the rtl units' signals
  int traceLayer = 0;
  std::string baseline;  // a configs/baselines GPU to state speedups against
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
  // Loaded before the simulation so that a bad name fails at once.
  std::optional<baseline::GpuPrediction> gpu;
  if (!o.baseline.empty()) {
    gpu = baseline::predict(baseline::loadGpuSpec(o.baseline), e.model,
                            baseline::calibrate(baseline::shippedGpuSpecs()));
  }
  Progress progress("specmamba run", !o.quiet);
  ExperimentReport report = runExperimentReport(e, progress);
  if (gpu) {
    report.json["baseline"] = baseline::baselineJson(*gpu, report.json);
    report.text += baseline::baselineText(report.json["baseline"]);  // after the table's blank line
  }
  return emitReport(o, report);
}

}  // namespace

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
  cmd->add_option("--baseline", o->baseline,
                  "GPU baseline (configs/baselines, e.g. rtx4090): adds its prediction for the "
                  "model and our speedups over it");
  cmd->callback([&action, o]() { action = [o]() { return runExperiment(*o); }; });
}

}  // namespace specmamba::cli
