// `specmamba run EXPERIMENT.json`: the SystemC accelerator platform on one
// experiment (configs/experiments/): tokens/s, cycle breakdown, utilization,
// DRAM bandwidth and bytes per token; functional runs also generate tokens.
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "models/common/AtomicFile.h"
#include "models/int/Mamba2Int.h"
#include "models/int/OfflineQuantizer.h"
#include "sim/cli/Commands.h"
#include "sim/platform/Platform.h"
#include "sim/platform/RunReport.h"
#include "sim/report/Progress.h"

namespace specmamba::cli {

namespace {

struct RunOptions {
  std::string experiment;
  std::string json;
  bool quiet = false;
};

int runExperiment(const RunOptions& o) {
  using namespace platform;
  const Experiment e = loadExperiment(o.experiment);
  Progress progress("specmamba run", !o.quiet);
  std::optional<Mamba2Weights> fp32;
  std::optional<IntModelWeights> quantized;
  std::optional<Mamba2Int> golden;
  if (e.mode == RunMode::Functional) {
    progress.stage(e.weights.empty() ? "synthesizing weights" : "loading " + e.weights);
    fp32.emplace(loadOrSynthesize(e.model, e.weights, e.seed));
    progress.stage("quantizing");
    QuantOptions q;
    q.precision = e.accel.precision;
    q.rotation = e.rotation;
    quantized.emplace(quantizeModel(*fp32, q));
    fp32.reset();
    golden.emplace(*quantized);
  }
  progress.stage("simulating");
  const RunResult r = runPlatform(e, golden ? &*golden : nullptr,
                                  [&](int done, int total) { progress.count(done, total, "token passes"); });
  progress.finish();
  const auto doc = runReportJson(e, r);
  if (o.json == "-") {
    fmt::print("{}\n", doc.dump(2));
    return 0;
  }
  if (!o.json.empty()) writeFileAtomically(o.json, doc.dump(2) + "\n");
  fmt::print("{}", runReportText(e, r));
  return 0;
}

}  // namespace

void addRunCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("run", "Run an experiment on the SystemC accelerator platform");
  auto o = std::make_shared<RunOptions>();
  cmd->add_option("experiment", o->experiment,
                  "Experiment: a name of configs/experiments (e.g. default) or a JSON path")
      ->required();
  cmd->add_option("--json", o->json, "Also write the report as JSON to FILE (\"-\": JSON on stdout instead of the table)");
  cmd->add_flag("--quiet", o->quiet, "No progress line on stderr");
  cmd->callback([&action, o]() { action = [o]() { return runExperiment(*o); }; });
}

}  // namespace specmamba::cli
