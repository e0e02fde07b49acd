#include "sim/report/ExperimentReport.h"

#include <memory>

#include "sim/platform/GoldenModel.h"
#include "sim/platform/Platform.h"
#include "sim/platform/RunReport.h"
#include "sim/speculative/SpeculativeReport.h"
#include "sim/speculative/SpeculativeScheduler.h"

namespace specmamba {

namespace {

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

}  // namespace specmamba
