#pragma once
// The accelerator platform put together for one experiment: memory map, DRAM
// image (functional runs), StreamPort, units and sequencer on the
// accelerator clock; runs the SystemC simulation and measures it.
//
// Calls sc_start: once per process (SystemC cannot elaborate a second
// design after a simulation has run).
#include <functional>

#include "models/int/Mamba2Int.h"
#include "sim/platform/Experiment.h"
#include "sim/platform/RunResult.h"

#include <memory>

#include "sim/platform/StreamPort.h"

namespace specmamba::platform {

// The accelerator's memory port for an experiment: the platform's AXI ports
// joined into the accelerator's bus (busBits may span several ports).
std::unique_ptr<StreamPort> makeAcceleratorPort(const Experiment& e);

// `golden` is the quantized model for a functional run (its precision must
// match the experiment's) and null for a timing-only run. `onPass(done,
// total)` is called after each simulated token pass (progress).
RunResult runPlatform(const Experiment& experiment, const Mamba2Int* golden,
                      const std::function<void(int, int)>& onPass = nullptr);

}  // namespace specmamba::platform
