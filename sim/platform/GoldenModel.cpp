#include "sim/platform/GoldenModel.h"

#include "models/int/OfflineQuantizer.h"
#include "models/weights/Checkpoint.h"
#include "models/weights/SyntheticWeights.h"

namespace specmamba::platform {

std::unique_ptr<GoldenModel> makeGoldenModel(const Experiment& e,
                                             const std::function<void(const std::string&)>& stage) {
  const auto say = [&](const std::string& s) {
    if (stage) stage(s);
  };
  auto g = std::make_unique<GoldenModel>();
  QuantOptions q;
  q.precision = e.accel.precision;
  q.rotation = e.rotation;
  if (e.weights.empty()) {
    say("synthesizing weights");
    SyntheticOptions so;
    so.seed = e.seed;
    const Mamba2Weights w = makeSyntheticWeights(e.model, so);
    say("quantizing");
    g->weights = quantizeModel(w, q);
  } else {
    say("loading " + e.weights);
    const Mamba2Weights w = loadCheckpoint(e.weights, e.model);
    say("quantizing");
    g->weights = quantizeModel(w, q);
  }
  g->model = std::make_unique<Mamba2Int>(g->weights);
  return g;
}

}  // namespace specmamba::platform
