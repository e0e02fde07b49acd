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
  std::vector<int> tokens;    // generated (functional runs)
  int passes = 0;             // token passes simulated through the accelerator
  int simulatedLayers = 0;    // layers simulated per pass (timing-only reuse: < n_layer)
  bool reused = false;        // steady-state layer period reused for the other layers
  Cycle layerPeriod = 0;      // cycles of one steady-state layer
  Cycle cyclesPerToken = 0;   // accelerator cycles of one decode pass (mean over the decode passes)
  Cycle firstPassCycles = 0;  // the first pass (cold buffers)
  Cycle promptCycles = 0;     // accelerator cycles of the prompt passes (none when reused)
  int promptPasses = 0;       // prompt passes of up to TP tokens each
  WindowActivity perToken;    // activity of one decode pass
  std::array<uint64_t, kStreamCategories> readBytesPerToken{}, writeBytesPerToken{};
  StreamPortStats port;  // as the port counted them over the simulated part
};

}  // namespace specmamba::platform
