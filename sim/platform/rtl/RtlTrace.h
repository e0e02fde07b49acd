#pragma once
// Waveforms of the rtl units: a VCD (VerilatedVcdSc) of every Verilated
// model of the rtl units, recorded while one layer runs in the first pass
// (from the MMU's in_proj job of that layer to the end of its out_proj job;
// so it needs the MMU in rtl). Requested before runPlatform (specmamba run
// --trace FILE --trace-layer L); the models are Verilated with --trace.
#include <functional>
#include <string>

struct VerilatedVcdC;

namespace specmamba::platform::rtl {

void requestTrace(const std::string& file, int layer);
// A model to trace (called while the units are built, before the
// simulation starts): `trace` hooks its signals into the VCD.
void addTracedModel(const std::function<void(VerilatedVcdC*)>& trace);
// The MMU's in_proj / out_proj job of `layer` starts / ended.
void traceLayerBegins(int layer);
void traceLayerEnds(int layer);

}  // namespace specmamba::platform::rtl
