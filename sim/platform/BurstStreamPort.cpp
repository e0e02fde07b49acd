#include "sim/platform/BurstStreamPort.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/common/Error.h"
#include "sim/platform/DetailedStreamPort.h"
#include "sim/platform/PortClock.h"

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
      c.coldLatency[d] = double(port.transfer({0, 1, write, StreamCategory::Weights}, 0));
      // Going on after an idle gap (before the first refresh): the row is open.
      const uint64_t prefix = 64 * ports;
      const AccelCycle idle = port.transfer({busBytes, prefix, write, StreamCategory::Weights}, 0) +
                              uint64_t(config.burstBeats);
      c.latency[d] = double(
          port.transfer({(prefix + 1) * busBytes, 1, write, StreamCategory::Weights}, idle) - idle);
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
      beatsPer4k_(4096 / busBytes_),
      burstBeats_(uint64_t(config.burstBeats)) {
  const auto& t = config.memory.timing;
  const PortClock clock(config.accelClockMhz, t.tckPs);
  const double memoryPerAccel = double(clock.toMemory(1'000'000)) / 1e6;
  requestLatency_ = double(clock.accelCycles(config.requestLatencyNs));
  dramCyclesPerBeat_ = config.accelClockMhz * double(busBytes_) * config.axiPorts /
                       (config.memory.peakBandwidthGBs() * 1000.0);
  openAccess_ = double(t.CL) / memoryPerAccel;
  closedAccess_ = double(t.tRCD + t.CL) / memoryPerAccel;
  if (config.memory.controller.refreshPolicy == "all-bank") {
    refreshPeriod_ = double(t.tREFI) / memoryPerAccel;
    refreshBlock_ = double(t.tRP + t.tRFC) / memoryPerAccel;
  }
  // A burst takes at least 1/ports of a slot: at most outstanding x ports + 1 hold one.
  for (int d = 0; d < 2; ++d) {
    size_t size = 1;
    while (size < size_t(config.axiPorts) *
                          size_t(d == 0 ? config.readOutstanding : config.writeOutstanding) +
                      2)
      size *= 2;
    channels_[d].window.resize(size);
  }
}

double BurstStreamPort::dramService(double arrival, double beats, double& free,
                                    double& refresh) const {
  const double start = std::max(arrival, free);
  double end = start + openAccess_ + beats * dramCyclesPerBeat_;
  if (refreshPeriod_ > 0) {
    // Service ends never go back in time: walk the refresh forward.
    while (end >= refresh + refreshPeriod_) refresh += refreshPeriod_;
    if (refresh > 0 && end > refresh && start < refresh + refreshBlock_) {
      // What was not on the pins when the refresh began waits for its end,
      // then reopens the row.
      const double served = std::max(0.0, refresh - start - openAccess_) / dramCyclesPerBeat_;
      end = refresh + refreshBlock_ + closedAccess_ +
            std::max(0.0, beats - served) * dramCyclesPerBeat_;
    }
  }
  free = end - openAccess_;  // the next access overlaps this one's data
  return end;
}

AccelCycle BurstStreamPort::transfer(const StreamSegment& s, AccelCycle notBefore) {
  if (s.beats == 0) throw Error("stream segment with no beats");
  if (s.address % busBytes_ != 0) {
    throw Error(
        fmt::format("stream segment address {:#x} is not a multiple of the {}-byte bus beat",
                    s.address, busBytes_));
  }
  const double start = std::max(double(notBefore), issued_);
  const int d = s.write ? 1 : 0;
  const bool jump = s.address != nextAddress_[d];
  nextAddress_[d] = s.address + s.beats * busBytes_;
  const double warm = calibration_.latency[d], perBeat = calibration_.cyclesPerBeat[d];
  const double cold = calibration_.coldLatency[d];
  // From the DRAM's last data to the port's last beat (one-beat read, open row).
  const double tail = warm - requestLatency_ - openAccess_ - dramCyclesPerBeat_;
  const double outstanding = d == 0 ? config_.readOutstanding : config_.writeOutstanding;
  // The ports are alike and share every segment beat by beat: one
  // representative port carries the busiest port's beats for the latency terms
  // and the average share for the throughput terms (one port: both the same).
  const uint64_t ports = uint64_t(config_.axiPorts);
  const bool one = ports == 1;
  const uint64_t busiest = one ? s.beats : (s.beats + ports - 1) / ports;
  const double scale = one ? 1.0 : double(s.beats) / double(ports) / double(busiest);
  // A segment shorter than the port count reaches only some ports: each of
  // its bursts takes that fraction of the representative port's request slots.
  const double occupancy = one ? 1.0 : std::min(1.0, double(s.beats) / double(ports));
  Channel& ch = channels_[d];
  // The port's own beat index runs on by one per beat: bursts end at
  // burstBeats or at a 4 KB boundary of it (as in the detailed model).
  uint64_t local = one ? s.address / busBytes_ : s.address / busBytes_ / ports;
  // The loop works on locals (kept in registers) and stores them back after.
  double issued = issued_, slots = ch.slots, freed = ch.freed, nextIssue = ch.nextIssue;
  double dataFree = ch.dataFree, busy = ch.done, dramFree = dramFree_;
  double refresh = refresh_;
  size_t head = ch.head, count = ch.count;
  Issued* const window = ch.window.data();
  const size_t mask = ch.window.size() - 1;
  for (uint64_t left = busiest; left > 0;) {
    const uint64_t m =
        std::min(std::min(left, burstBeats_), beatsPer4k_ - (local & (beatsPer4k_ - 1)));
    local += m;
    left -= m;
    const double average = double(m) * scale;
    // The burst issues once the one `outstanding` slots earlier completed.
    slots += occupancy;
    while (count > 0 && window[head].slots <= slots - outstanding) {
      freed = window[head].done;
      head = (head + 1) & mask;
      --count;
    }
    const double at = std::max(std::max(start, nextIssue), freed);
    nextIssue = at + occupancy;
    // A segment that does not go on where the last one stopped opens a row.
    const double latency = jump && left + m == busiest ? cold : warm;
    double first;   // earliest completion of the burst on an idle memory
    if (s.write) {  // W beats, one per cycle; the write completes from its last beat
      dataFree = std::max(at + double(m), dataFree + average);
      first = dataFree - 1 + latency;
      issued = std::max(issued, dataFree);
    } else {
      first = at + latency + double(m - 1) * perBeat;
      first = std::max(first, dramService(at + requestLatency_, average, dramFree, refresh) + tail);
      issued = std::max(issued, at + 1);
    }
    busy = std::max(first, busy + average * perBeat);
    window[(head + count++) & mask] = {slots, busy};
  }
  ch.slots = slots;
  ch.freed = freed;
  ch.nextIssue = nextIssue;
  ch.dataFree = dataFree;
  ch.done = busy;
  ch.head = head;
  ch.count = count;
  dramFree_ = dramFree;
  refresh_ = refresh;
  const double last = std::max(start, ch.done);
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
