// `specmamba run EXPERIMENT.json`: the SystemC accelerator platform on one
// experiment (configs/experiments/): tokens/s, cycle breakdown, utilization,
// DRAM bandwidth and bytes per token; functional runs also generate tokens.
#include <fmt/format.h>

#include <memory>

#include "models/common/AtomicFile.h"
#include "sim/cli/Commands.h"
#include "sim/platform/GoldenModel.h"
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
  std::unique_ptr<GoldenModel> golden;
  if (e.mode == RunMode::Functional) {
    golden = makeGoldenModel(e, [&](const std::string& s) { progress.stage(s); });
  }
  progress.stage("simulating");
  const RunResult r = runPlatform(e, golden ? golden->model.get() : nullptr,
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
