#pragma once
// A `specmamba run` experiment (configs/experiments/*.json): model, weights,
// platform, host, accelerator parameters, mode, prompt and token count. All
// validation happens in parseExperiment; errors name file + JSON pointer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/config/ModelConfig.h"
#include "models/int/IntModelWeights.h"
#include "sim/config/PlatformConfig.h"
#include "sim/platform/AcceleratorConfig.h"
#include "sim/platform/HostModel.h"
#include "sim/speculative/SpeculativeConfig.h"

namespace specmamba::platform {

enum class RunMode {
  Functional,  // data flows from the DRAM image; tokens equal Mamba2Int::generateGreedy
  TimingOnly,  // no data: a data-independent schedule, identical layers simulated once
};
const char* runModeName(RunMode m);

struct Experiment {
  std::string name;
  std::string origin;
  ModelConfig model;
  std::string weights;  // safetensors path; empty = synthetic
  uint64_t seed = 1;
  RotationMode rotation = RotationMode::Online;
  PlatformConfig platform;
  HostModel host;
  AcceleratorConfig accel;
  RunMode mode = RunMode::Functional;
  // Timing-only: layers simulated per token before the steady-state period
  // is reused for the rest (0 = simulate every layer of every token).
  int reuseAfterLayers = 3;
  std::vector<int> prompt{1};
  int tokens = 16;  // generated tokens
  // Optional VCD of unit activity and the memory stream for one layer of the first pass.
  int traceLayer = -1;  // -1: no trace
  std::string traceFile;
  // SpecMamba: a draft + target run driven by the speculative scheduler.
  std::optional<SpeculativeConfig> speculative;

  // The timing-only reuse rule: layers simulated per pass (the rest repeat
  // the steady-state period of the last one); every layer otherwise.
  int simulatedLayers() const {
    const int L = model.nLayer;
    return mode == RunMode::Functional || reuseAfterLayers == 0 || reuseAfterLayers >= L
               ? L
               : reuseAfterLayers;
  }
};

Experiment parseExperiment(const nlohmann::json& doc, const std::string& origin);
// A name of configs/experiments (embedded) or a path to a JSON file.
Experiment loadExperiment(const std::string& nameOrPath);

}  // namespace specmamba::platform
