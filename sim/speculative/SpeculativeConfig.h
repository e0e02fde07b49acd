#pragma once
// The "speculative" block of an experiment (SpecMamba on the platform):
// draft model and weights, token tree, backtracking, FIFO tiling, dataflow
// and where acceptance comes from. Parsed and validated by parseExperiment
// (sim/platform/Experiment.cpp) through parseSpeculative; errors name file +
// JSON pointer + the allowed values.
#include <cstdint>
#include <optional>
#include <string>

#include "models/common/JsonReader.h"
#include "models/config/ModelConfig.h"
#include "models/speculative/AcceptanceModel.h"
#include "models/speculative/TokenTree.h"
#include "sim/platform/AcceleratorConfig.h"

namespace specmamba::platform {

enum class AcceptanceMode { Functional, Profile, Trace };

struct SpeculativeConfig {
  ModelConfig draft;
  std::string draftWeights;  // safetensors path; empty = synthetic
  uint64_t draftSeed = 2;
  AcceleratorConfig draftAccel;  // the same accelerator, checked against the draft's sizes
  std::string treeText = "3,2,2,1";
  TokenTree tree = TokenTree::fromBranching({3, 2, 2, 1});
  std::string backtrack = "hybrid";
  int tileHeads = 8;   // heads per FIFO state tile of the target; 0 = untiled
  int fifoKiB = 2048;  // on-chip tree FIFO
  bool overlap = true;
  int nodeStoreKiB = 8192;  // on-chip memory free for node states (backtracking cost model)
  AcceptanceMode acceptance = AcceptanceMode::Functional;
  AcceptanceProfile profile;  // mode profile
  uint64_t acceptanceSeed = 1;
  std::string traceFile;      // mode trace
};
const char* acceptanceModeName(AcceptanceMode m);

// `node`: the experiment's "speculative" object; `target`, `accel`, the
// experiment's; `functional`: the experiment runs functionally.
SpeculativeConfig parseSpeculative(JsonNode node, const ModelConfig& target,
                                   const AcceleratorConfig& accel, bool functional,
                                   const JsonNode& acceleratorNode, double clockDefault,
                                   int axiBitsMax);

}  // namespace specmamba::platform
