#pragma once
// The reference port model: every DRAM burst of every segment goes through
// the command-level DramSystem (FR-FCFS, refresh, all timing constraints).
// A segment starts at max(notBefore, the cycle after the previous segment's
// last request: its last AR, or its last W beat). Per AXI port and direction:
// one request (AR/AW) per accelerator cycle, at
// most `outstanding` AXI bursts in flight, one data beat per cycle on the
// port's read or write data channel (AXI has both), in-order read data.
// Requests reach the memory controller `requestLatency` after issue; read data
// and write acceptances come back `responseLatency` after the DRAM.
#include <deque>
#include <unordered_map>
#include <vector>

#include "sim/memory/DramSystem.h"
#include "sim/platform/PortClock.h"
#include "sim/platform/StreamPort.h"

namespace specmamba::platform {

class DetailedStreamPort final : public StreamPort {
 public:
  explicit DetailedStreamPort(const StreamPortConfig& config);
  AccelCycle transfer(const StreamSegment& s, AccelCycle notBefore) override;
  StreamPortStats stats() const override { return stats_; }

 private:
  // One AXI burst: its DRAM bursts are ids [firstId, firstId + bursts).
  struct Txn {
    uint64_t firstId = 0;
    uint32_t bursts = 0;
    std::vector<uint32_t> lastBurstOfBeat;  // reads: index of the last DRAM burst each beat needs
    AccelCycle done = 0;                    // last beat on chip (read) / accepted (write)
    bool resolved = false;
  };
  struct Channel {  // one direction of one AXI port
    std::deque<Txn> inFlight;
    size_t resolved = 0;       // inFlight[0, resolved) are resolved
    AccelCycle nextIssue = 0;  // AR/AW: one request per cycle
    AccelCycle dataFree = 0;   // R/W data channel: next free cycle
  };

  // Issues one AXI burst of `beats` beats of a port, global beats firstBeat,
  // firstBeat + ports, ...; returns the cycle after its request was issued
  // (reads: AR; writes: AW and the last W beat).
  AccelCycle issue(Channel& ch, bool write, uint64_t firstBeat, uint64_t beats, AccelCycle start);
  void resolveAll(Channel& ch);
  void resolveRead(Txn& t, Channel& ch);
  dram::Cycle submit(uint64_t address, bool write, uint64_t id, dram::Cycle at);

  StreamPortConfig config_;
  PortClock clock_;
  dram::DramSystem system_;
  uint64_t busBytes_, burstBytes_;
  AccelCycle requestLatency_, responseLatency_;
  std::vector<Channel> channels_[2];                    // [read, write][port]
  std::unordered_map<uint64_t, dram::Cycle> readDone_;  // DRAM completions not yet consumed
  uint64_t nextId_ = 0;
  dram::Cycle memoryCursor_ = 0;  // requests reach the controller in issue order
  AccelCycle issued_ = 0;         // cycle after the previous segment's last request
  AccelCycle busyUntil_ = 0;
  StreamPortStats stats_;
};

}  // namespace specmamba::platform
