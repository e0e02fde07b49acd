#pragma once
// A VCD waveform of one layer of the first token pass: one wire per unit
// (high while it computes) and the memory stream (read / write segments in
// flight, from issue to completion, and the category of the last issued
// one). Written from the simulation's records after the run; an `rtl` unit
// may add its Verilated signals with its own trace.
#include <string>
#include <vector>

#include "sim/platform/StreamPort.h"
#include "sim/platform/units/ActivityLog.h"

namespace specmamba::platform {

struct SegmentRecord {
  Cycle issued = 0, done = 0;
  bool write = false;
  StreamCategory category = StreamCategory::Weights;
};

// Cycles [from, to) at `periodPs` picoseconds per accelerator cycle.
void writeActivityVcd(const std::string& path, const ActivityLog& log,
                      const std::vector<SegmentRecord>& segments, Cycle from, Cycle to,
                      uint64_t periodPs);

}  // namespace specmamba::platform
