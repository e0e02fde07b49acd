#pragma once
// Runs one experiment with its units "fast" and again "rtl" and compares
// what the two measured (the fidelity test, `specmamba-bench rtl-mode`).
// SystemC elaborates one design per process, so each run happens in a child
// process (fork) that sends its results back through a pipe.
#include <array>
#include <string>
#include <vector>

#include "models/int/Mamba2Int.h"
#include "sim/platform/Experiment.h"
#include "sim/platform/RunResult.h"

namespace specmamba::platform {

struct ModeRun {
  std::vector<int> tokens;
  int passes = 0;
  Cycle cyclesPerToken = 0;  // mean accelerator cycles of a pass
  Cycle firstPassCycles = 0;
  std::array<Cycle, size_t(UnitKind::kCount)> busy{};  // per unit, cycles busy in a mean pass
  double wallSeconds = 0;                              // simulation (runPlatform) wall time
};

// `accel` with every unit that has an implementation `impl` set to it (the
// others unchanged: the residual add stays "fast", it has no RTL).
AcceleratorConfig withUnits(AcceleratorConfig accel, const std::string& impl);

// runPlatform(e, golden) in a child process.
ModeRun runPlatformInChild(const Experiment& e, const Mamba2Int* golden);

// |a - b| / b.
double relativeDifference(Cycle a, Cycle b);

}  // namespace specmamba::platform
