#pragma once
// The fast port model: AXI-burst granular, no DRAM commands. Per direction it
// keeps, for a representative AXI port (the ports are alike and share each
// segment beat by beat), the request channel (one request per cycle, at most
// `outstanding` bursts in flight: a burst issues when the one `outstanding`
// earlier completed) and a data cursor advanced at a steady rate:
//   done(burst of m beats) = max(issue + latency + (m - 1) * cyclesPerBeat,
//                                done(previous burst) + m * cyclesPerBeat,
//                                DRAM service end + tail)      (reads)
// (writes: from the last W beat instead of the issue). latency (open row,
// or closed after an address jump) and cyclesPerBeat come from calibration
// runs of the detailed model at construction; the DRAM service runs at the
// preset's peak rate per port and stops for all-bank refresh (every tREFI,
// tRP + tRFC, then a closed row), so refresh shows wherever too few bursts
// are in flight to hide it. Nothing is tuned by hand. Segment order as in the
// detailed model.
#include <vector>

#include "sim/platform/StreamPort.h"

namespace specmamba::platform {

struct PortCalibration {
  // [read, write]: accelerator cycles from issue to completion of a one-beat
  // segment on an idle port that continues the stream (open row) and after a
  // jump (closed row), and steady cycles per beat per port of a long stream.
  double latency[2] = {0, 0};
  double coldLatency[2] = {0, 0};
  double cyclesPerBeat[2] = {0, 0};
};

// Runs the detailed model: a one-beat segment and a long stream (at least
// eight refresh intervals) per direction.
PortCalibration calibratePort(const StreamPortConfig& config);

class BurstStreamPort final : public StreamPort {
 public:
  explicit BurstStreamPort(const StreamPortConfig& config);
  AccelCycle transfer(const StreamSegment& s, AccelCycle notBefore) override;
  StreamPortStats stats() const override { return stats_; }
  const PortCalibration& calibration() const { return calibration_; }

 private:
  struct Issued {
    double slots, done;  // request slots taken up to and including this burst; its completion
  };
  // A read's DRAM service (from `arrival`, `beats` at the DRAM's peak rate
  // per port, after the previous read's) and the all-bank refresh block it
  // runs into (every tREFI, tRP + tRFC long): the cycle its last data leave
  // the DRAM.
  // `free` and `refresh` (start of the last refresh passed) are its state.
  double dramService(double arrival, double beats, double& free, double& refresh) const;

  struct Channel {               // one direction of the representative AXI port
    std::vector<Issued> window;  // ring (power-of-two size) of bursts that may hold a request slot
    size_t head = 0, count = 0;
    double slots = 0;  // request slots taken so far
    double freed = 0;  // completion of the newest burst whose slot was released
    double nextIssue = 0, dataFree = 0, done = 0;
  };

  StreamPortConfig config_;
  PortCalibration calibration_;
  uint64_t busBytes_, beatsPer4k_, burstBeats_;  // beatsPer4k_: a power of two
  Channel channels_[2];                          // [read, write]: the representative port
  double issued_ = 0;                            // cycle after the previous segment's last request
  AccelCycle busyUntil_ = 0;
  double dramCyclesPerBeat_ = 0, dramFree_ = 0, openAccess_ = 0, closedAccess_ = 0;
  double refresh_ = 0;
  double refreshPeriod_ = 0, refreshBlock_ = 0, requestLatency_ = 0;  // accelerator cycles
  uint64_t nextAddress_[2] = {0, 0};  // where each direction's stream would go on
  StreamPortStats stats_;
};

}  // namespace specmamba::platform
