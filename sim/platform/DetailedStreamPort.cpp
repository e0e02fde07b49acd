#include "sim/platform/DetailedStreamPort.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/common/Error.h"
#include "sim/platform/PortStripe.h"

namespace specmamba::platform {

DetailedStreamPort::DetailedStreamPort(const StreamPortConfig& config)
    : config_(config),
      clock_(config.accelClockMhz, config.memory.timing.tckPs),
      system_(config.memory),
      busBytes_(uint64_t(config.busBits / 8)),
      burstBytes_(uint64_t(config.memory.org.burstBytes())),
      requestLatency_(clock_.accelCycles(config.requestLatencyNs)),
      responseLatency_(clock_.accelCycles(config.responseLatencyNs)) {
  for (auto& c : channels_) c.resize(size_t(config.axiPorts));
}

dram::Cycle DetailedStreamPort::submit(uint64_t address, bool write, uint64_t id, dram::Cycle at) {
  at = std::max({at, memoryCursor_, system_.now()});
  while (!system_.trySubmit(address, write, id, at)) at = std::max(at + 1, system_.nextEvent() + 1);
  memoryCursor_ = at;
  return at;
}

AccelCycle DetailedStreamPort::issue(Channel& ch, bool write, uint64_t firstBeat, uint64_t beats,
                                     AccelCycle start) {
  const size_t window = size_t(write ? config_.writeOutstanding : config_.readOutstanding);
  AccelCycle at = std::max(start, ch.nextIssue);
  if (ch.inFlight.size() == window) {  // wait for the oldest burst to finish
    resolveAll(ch);
    at = std::max(at, ch.inFlight.front().done);
    ch.inFlight.pop_front();
    --ch.resolved;
  }
  ch.nextIssue = at + 1;
  const uint64_t stride = uint64_t(config_.axiPorts) * busBytes_;
  Txn t;
  t.firstId = nextId_;
  if (!write) {
    // The controller sees the request requestLatency later and splits it into DRAM bursts.
    const dram::Cycle arrival = clock_.toMemory(at + requestLatency_);
    t.lastBurstOfBeat.resize(beats);
    uint64_t last = UINT64_MAX;
    for (uint64_t j = 0; j < beats; ++j) {
      const uint64_t a = firstBeat * busBytes_ + j * stride;
      for (uint64_t b = a / burstBytes_; b <= (a + busBytes_ - 1) / burstBytes_; ++b) {
        if (b == last) continue;
        submit(b * burstBytes_, false, nextId_++, arrival);
        last = b;
        ++t.bursts;
      }
      t.lastBurstOfBeat[j] = t.bursts - 1;
    }
  } else {
    // Data leaves on the write channel one beat per cycle; a DRAM burst is
    // submitted once its last beat reached the controller; the burst is
    // accepted when the controller's write queue takes it.
    dram::Cycle accepted = 0;
    AccelCycle beatCycle = std::max(at, ch.dataFree);
    for (uint64_t j = 0; j < beats; ++j, ++beatCycle) {
      const uint64_t a = firstBeat * busBytes_ + j * stride;
      for (uint64_t b = a / burstBytes_; b <= (a + busBytes_ - 1) / burstBytes_; ++b) {
        if (j + 1 < beats && (a + stride) / burstBytes_ <= b) continue;  // the next beat adds to it
        accepted = submit(b * burstBytes_, true, nextId_++,
                          clock_.toMemory(beatCycle + 1 + requestLatency_));
        ++t.bursts;
      }
    }
    ch.dataFree = beatCycle;
    t.done = clock_.toAccel(accepted) + responseLatency_;
    t.resolved = true;
  }
  ch.inFlight.push_back(std::move(t));
  return write ? ch.dataFree : at + 1;
}

void DetailedStreamPort::resolveRead(Txn& t, Channel& ch) {
  std::vector<dram::Cycle> done(t.bursts, -1);
  uint32_t missing = t.bursts;
  for (;;) {
    auto& completions = system_.completions();
    for (const auto& c : completions)
      if (!c.write) readDone_.emplace(c.id, c.done);
    completions.clear();
    for (uint32_t i = 0; i < t.bursts; ++i) {
      if (done[i] >= 0) continue;
      const auto it = readDone_.find(t.firstId + i);
      if (it == readDone_.end()) continue;
      done[i] = it->second;
      readDone_.erase(it);
      --missing;
    }
    if (missing == 0) break;
    system_.advanceTo(system_.nextEvent() + 1);
  }
  // In-order read data: beat j waits for every burst up to the last one it needs.
  dram::Cycle ready = 0;
  uint32_t upTo = 0;
  AccelCycle cycle = ch.dataFree;
  for (uint32_t need : t.lastBurstOfBeat) {
    for (; upTo <= need; ++upTo) ready = std::max(ready, done[upTo]);
    cycle = std::max(cycle, clock_.toAccel(ready) + responseLatency_);
    ++cycle;  // the beat occupies the read data channel for one cycle
  }
  ch.dataFree = cycle;
  t.done = cycle;
  t.resolved = true;
}

void DetailedStreamPort::resolveAll(Channel& ch) {
  for (; ch.resolved < ch.inFlight.size(); ++ch.resolved) {
    Txn& t = ch.inFlight[ch.resolved];
    if (!t.resolved) resolveRead(t, ch);
  }
}

AccelCycle DetailedStreamPort::transfer(const StreamSegment& s, AccelCycle notBefore) {
  if (s.beats == 0) throw Error("stream segment with no beats");
  if (s.address % busBytes_ != 0) {
    throw Error(
        fmt::format("stream segment address {:#x} is not a multiple of the {}-byte bus beat",
                    s.address, busBytes_));
  }
  const AccelCycle start = std::max(notBefore, issued_);
  const int ports = config_.axiPorts;
  auto& channels = channels_[s.write ? 1 : 0];
  // Each port's share in AXI bursts of at most burstBeats, split where the
  // port's own address (beat index / ports) crosses 4 KB; ports take turns.
  std::vector<PortShare> share(channels.size());
  for (int p = 0; p < ports; ++p)
    share[size_t(p)] = portShare(s.address / busBytes_, s.beats, p, ports);
  const uint64_t beatsPer4k = 4096 / busBytes_;
  for (bool more = true; more;) {
    more = false;
    for (size_t p = 0; p < share.size(); ++p) {
      PortShare& r = share[p];
      if (r.beats == 0) continue;
      const uint64_t n = nextBurstBeats(r, ports, config_.burstBeats, beatsPer4k);
      issued_ = std::max(issued_, issue(channels[p], s.write, r.firstBeat, n, start));
      r.firstBeat += n * uint64_t(ports);
      r.beats -= n;
      more = more || r.beats > 0;
    }
  }
  AccelCycle done = start;
  for (auto& ch : channels) {
    resolveAll(ch);
    if (!ch.inFlight.empty()) done = std::max(done, ch.inFlight.back().done);
  }
  (s.write ? stats_.writeBeats : stats_.readBeats) += s.beats;
  if (done > busyUntil_) {
    stats_.busyCycles += done - std::max(start, busyUntil_);
    busyUntil_ = done;
  }
  return done;
}

}  // namespace specmamba::platform
