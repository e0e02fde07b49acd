#include "tests/specplatform/SpecPlatformSupport.h"

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"

namespace specmamba::test {

nlohmann::json shippedExperiment(const std::string& name) {
  const LocatedConfig c = locateConfig("experiments", name);
  return nlohmann::json::parse(c.text);
}

SpecRun runSpec(const nlohmann::json& j) {
  using namespace platform;
  SpecRun r{parseExperiment(j, "test.json"), {}, {}};
  const Experiment& e = r.experiment;
  if (e.mode == RunMode::TimingOnly) {
    r.result = runSpeculative(e, nullptr, nullptr);
    return r;
  }
  const auto target = makeGoldenModel(e);
  Experiment de = e;
  de.model = e.speculative->draft;
  de.seed = e.speculative->draftSeed;
  de.weights = e.speculative->draftWeights;
  const auto draft = makeGoldenModel(de);
  IntState state = target->model->initialState();
  r.targetOnly = target->model->generateGreedy(e.prompt, e.tokens, state);
  r.result = runSpeculative(e, target->model.get(), draft->model.get());
  return r;
}

}  // namespace specmamba::test
