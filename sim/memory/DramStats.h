#pragma once
// What the controllers count: commands, row-buffer outcomes, latencies and
// the time each rank spends with a bank open (for background energy).
#include <array>
#include <cstdint>
#include <vector>

#include "sim/memory/DramTypes.h"

namespace specmamba::dram {

// Exact latency distribution (one counter per cycle value).
class LatencyHistogram {
 public:
  void add(Cycle latency);
  void merge(const LatencyHistogram& other);
  uint64_t count() const { return count_; }
  double mean() const { return count_ ? double(sum_) / double(count_) : 0.0; }
  Cycle percentile(double p) const;  // smallest latency with at least p of the samples <= it
  Cycle max() const { return counts_.empty() ? 0 : Cycle(counts_.size() - 1); }
  // Counts in power-of-two buckets [2^k, 2^(k+1)); index 0 holds latency 0 and 1.
  std::vector<uint64_t> log2Buckets() const;

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
};

struct ChannelStats {
  std::array<uint64_t, COMMAND_COUNT> commands{};
  uint64_t reads = 0, writes = 0;
  uint64_t rowHits = 0, rowMisses = 0, rowConflicts = 0;
  uint64_t rowsClosed = 0;  // by PRE, PREA or auto-precharge
  uint64_t steps = 0;       // controller decisions simulated (event-driven: << cycles)
  LatencyHistogram readLatency, writeLatency;
  Cycle firstArrival = NEVER;
  Cycle lastCompletion = 0;
  // Per rank: cycles with at least one bank open (active standby) up to `accountedUntil`.
  std::vector<Cycle> activeCycles;
  Cycle accountedUntil = 0;

  void merge(const ChannelStats& other);
};

}  // namespace specmamba::dram
