// TEMPORARY STUB — deleted when the real StreamPort implementations
// (sim/platform/StreamPort.cpp: "burst" and "detailed" DRAM timing) are
// merged. Nothing may depend on this file beyond makeStreamPort.
//
// A port limited only by the bus: busBits per accelerator cycle, segments
// strictly in order, a fixed latency from issue to the first beat on chip.
// It ignores the DRAM (no banks, no refresh, no memory clock).
#include <algorithm>

#include "sim/platform/StreamPort.h"

namespace specmamba::platform {

namespace {

constexpr AccelCycle kStubLatency = 64;  // [stub] cycles from issue to the first beat

class BusOnlyPort final : public StreamPort {
 public:
  AccelCycle transfer(const StreamSegment& s, AccelCycle notBefore) override {
    const AccelCycle start = std::max(notBefore, busFree_);
    busFree_ = start + s.beats;
    stats_.busyCycles += s.beats;
    (s.write ? stats_.writeBeats : stats_.readBeats) += s.beats;
    return busFree_ + (s.write ? 0 : kStubLatency);
  }
  StreamPortStats stats() const override { return stats_; }

 private:
  AccelCycle busFree_ = 0;
  StreamPortStats stats_;
};

}  // namespace

std::unique_ptr<StreamPort> makeStreamPort(const StreamPortConfig&) {
  return std::make_unique<BusOnlyPort>();
}

}  // namespace specmamba::platform
