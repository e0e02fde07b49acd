#include "sim/platform/rtl/RtlTrace.h"

#include <verilated_vcd_sc.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "models/common/Error.h"

namespace specmamba::platform::rtl {

namespace {

struct TraceState {
  std::string file;
  int layer = -1;
  std::vector<std::function<void(VerilatedVcdC*)>> models;
  // Made when the layer begins: a Verilated model's trace() must follow
  // sc_start, and the kernel's first dump call closes the list of models.
  std::unique_ptr<VerilatedVcdSc> vcd;
};

TraceState& state() {
  static TraceState s;
  return s;
}

}  // namespace

void requestTrace(const std::string& file, int layer) {
  TraceState& s = state();
  s.file = file;
  s.layer = layer;
  Verilated::traceEverOn(true);
}

void addTracedModel(const std::function<void(VerilatedVcdC*)>& trace) {
  TraceState& s = state();
  if (!s.file.empty()) s.models.push_back(trace);
}

void traceLayerBegins(int layer) {
  TraceState& s = state();
  if (s.file.empty() || s.vcd || layer != s.layer) return;
  s.vcd = std::make_unique<VerilatedVcdSc>();
  for (const auto& trace : s.models) trace(s.vcd.get());
  // Written beside the target and renamed when the layer ends: a run that
  // dies mid-layer leaves no truncated VCD under the requested name.
  s.vcd->open((s.file + ".partial").c_str());
}

void traceLayerEnds(int layer) {
  TraceState& s = state();
  if (s.vcd && s.vcd->isOpen() && layer == s.layer) {
    s.vcd->close();
    if (std::rename((s.file + ".partial").c_str(), s.file.c_str()) != 0) {
      throw Error(fmt::format("{}: cannot rename the VCD into place: {}", s.file, std::strerror(errno)));
    }
  }
}

}  // namespace specmamba::platform::rtl
