#include "sim/memory/DramStats.h"

#include <algorithm>

namespace specmamba::dram {

void LatencyHistogram::add(Cycle latency) {
  const size_t v = size_t(std::max<Cycle>(0, latency));
  if (v >= counts_.size()) counts_.resize(v + 1, 0);
  ++counts_[v];
  ++count_;
  sum_ += v;
}

void LatencyHistogram::merge(const LatencyHistogram& o) {
  if (o.counts_.size() > counts_.size()) counts_.resize(o.counts_.size(), 0);
  for (size_t i = 0; i < o.counts_.size(); ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  sum_ += o.sum_;
}

Cycle LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return 0;
  const double target = p * double(count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (double(seen) >= target && seen > 0) return Cycle(i);
  }
  return max();
}

std::vector<uint64_t> LatencyHistogram::log2Buckets() const {
  std::vector<uint64_t> b;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    size_t k = 0;
    while ((size_t(2) << k) <= i) ++k;
    if (k >= b.size()) b.resize(k + 1, 0);
    b[k] += counts_[i];
  }
  return b;
}

void ChannelStats::merge(const ChannelStats& o) {
  for (size_t i = 0; i < COMMAND_COUNT; ++i) commands[i] += o.commands[i];
  reads += o.reads;
  writes += o.writes;
  rowHits += o.rowHits;
  rowMisses += o.rowMisses;
  rowConflicts += o.rowConflicts;
  rowsClosed += o.rowsClosed;
  steps += o.steps;
  readLatency.merge(o.readLatency);
  writeLatency.merge(o.writeLatency);
  firstArrival = std::min(firstArrival, o.firstArrival);
  lastCompletion = std::max(lastCompletion, o.lastCompletion);
  if (o.activeCycles.size() > activeCycles.size()) activeCycles.resize(o.activeCycles.size(), 0);
  for (size_t i = 0; i < o.activeCycles.size(); ++i) activeCycles[i] += o.activeCycles[i];
  accountedUntil = std::max(accountedUntil, o.accountedUntil);
}

}  // namespace specmamba::dram
