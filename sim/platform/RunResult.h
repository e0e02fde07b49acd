#pragma once
// What a platform run measured (before formatting: RunReport.h).
#include <array>
#include <cstdint>
#include <vector>

#include "sim/platform/StreamPort.h"
#include "sim/platform/units/ActivityLog.h"

namespace specmamba::platform {

constexpr int kStreamCategories = int(StreamCategory::Params) + 1;

struct RunResult {
  std::vector<int> tokens;        // generated (functional runs)
  int passes = 0;                 // token passes simulated through the accelerator
  int simulatedLayers = 0;        // layers simulated per pass (timing-only reuse: < n_layer)
  bool reused = false;            // steady-state layer period reused for the other layers
  Cycle layerPeriod = 0;          // cycles of one steady-state layer
  Cycle cyclesPerToken = 0;       // accelerator cycles of one decode pass (mean)
  Cycle firstPassCycles = 0;      // the first pass (cold buffers)
  Cycle promptCycles = 0;         // accelerator cycles of the prompt passes (functional)
  WindowActivity perToken;        // activity of one decode pass
  std::array<uint64_t, kStreamCategories> readBytesPerToken{}, writeBytesPerToken{};
  StreamPortStats port;           // as the port counted them over the simulated part
};

}  // namespace specmamba::platform
