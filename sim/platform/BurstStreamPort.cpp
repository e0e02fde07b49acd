#include "sim/platform/BurstStreamPort.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/common/Error.h"
#include "sim/platform/DetailedStreamPort.h"
#include "sim/platform/PortClock.h"
#include "sim/platform/PortStripe.h"

namespace specmamba::platform {

PortCalibration calibratePort(const StreamPortConfig& config) {
  const uint64_t ports = uint64_t(config.axiPorts);
  const uint64_t busBytes = uint64_t(config.busBits / 8);
  const PortClock clock(config.accelClockMhz, config.memory.timing.tckPs);
  // At least eight refresh intervals at one beat per cycle, whole segments of
  // one AXI burst per port.
  const uint64_t segment = uint64_t(config.burstBeats) * ports;
  const uint64_t refi = clock.toAccel(config.memory.timing.tREFI);
  const uint64_t perPort = std::max<uint64_t>(8 * refi, 4096);
  const uint64_t segments = (perPort * ports + segment - 1) / segment;
  PortCalibration c;
  for (int d = 0; d < 2; ++d) {
    const bool write = d == 1;
    {
      DetailedStreamPort port(config);
      c.latency[d] = double(port.transfer({0, 1, write, StreamCategory::Weights}, 0));
    }
    DetailedStreamPort port(config);
    AccelCycle mark = 0, done = 0;
    const uint64_t from = segments / 4;  // skip the start-up
    for (uint64_t i = 0; i < segments; ++i) {
      done = port.transfer({i * segment * busBytes, segment, write, StreamCategory::Weights}, 0);
      if (i + 1 == from) mark = done;
    }
    c.cyclesPerBeat[d] = double(done - mark) / double((segments - from) * segment / ports);
  }
  return c;
}

BurstStreamPort::BurstStreamPort(const StreamPortConfig& config)
    : config_(config),
      calibration_(calibratePort(config)),
      busBytes_(uint64_t(config.busBits / 8)),
      beatsPer4k_(4096 / busBytes_) {
  for (int d = 0; d < 2; ++d) {
    Channel c;
    c.window.assign(size_t(d == 0 ? config.readOutstanding : config.writeOutstanding), 0.0);
    channels_[d].assign(size_t(config.axiPorts), c);
  }
}

AccelCycle BurstStreamPort::transfer(const StreamSegment& s, AccelCycle notBefore) {
  if (s.beats == 0) throw Error("stream segment with no beats");
  if (s.address % busBytes_ != 0) {
    throw Error(fmt::format("stream segment address {:#x} is not a multiple of the {}-byte bus beat",
                            s.address, busBytes_));
  }
  const double start = std::max(double(notBefore), issued_);
  const int d = s.write ? 1 : 0;
  const double latency = calibration_.latency[d], perBeat = calibration_.cyclesPerBeat[d];
  const int ports = config_.axiPorts;
  double last = start, issued = issued_;
  for (int p = 0; p < ports; ++p) {
    Channel& ch = channels_[d][size_t(p)];
    PortShare r = portShare(s.address / busBytes_, s.beats, p, ports);
    while (r.beats > 0) {
      const uint64_t m = nextBurstBeats(r, ports, config_.burstBeats, beatsPer4k_);
      r.firstBeat += m * uint64_t(ports);
      r.beats -= m;
      double& slot = ch.window[ch.head];
      double at = std::max({start, ch.nextIssue, slot});
      ch.nextIssue = at + 1;
      double first;  // earliest completion of the burst on an idle memory
      if (s.write) {  // W beats, one per cycle; the write completes from its last beat
        ch.dataFree = std::max(at, ch.dataFree) + double(m);
        first = ch.dataFree - 1 + latency;
        issued = std::max(issued, ch.dataFree);
      } else {
        first = at + latency + double(m - 1) * perBeat;
        issued = std::max(issued, at + 1);
      }
      ch.done = std::max(first, ch.done + double(m) * perBeat);
      slot = ch.done;
      ch.head = (ch.head + 1) % ch.window.size();
    }
    last = std::max(last, ch.done);
  }
  issued_ = issued;
  const AccelCycle done = AccelCycle(std::ceil(last - 1e-9));
  (s.write ? stats_.writeBeats : stats_.readBeats) += s.beats;
  if (done > busyUntil_) {
    stats_.busyCycles += done - std::max(AccelCycle(start), busyUntil_);
    busyUntil_ = done;
  }
  return done;
}

}  // namespace specmamba::platform
