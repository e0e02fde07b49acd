#pragma once
// Feeds a traffic source into a DramSystem as fast as the queues accept
// (a request waits for its trace cycle, then for queue space, in order) and
// summarizes the run.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/memory/DramSystem.h"
#include "sim/memory/EnergyModel.h"
#include "sim/memory/TrafficSource.h"

namespace specmamba::dram {

struct DramRunSummary {
  std::string workload;
  uint64_t requests = 0;
  ChannelStats stats;
  EnergyBreakdown energy;
  uint64_t commandsChecked = 0;  // 0 when the protocol checker was off

  Cycle cycles() const { return stats.accountedUntil; }
  double nanoseconds(const DramSpec& s) const { return double(cycles()) * s.timing.tckPs / 1000.0; }
  double bandwidthGBs(const DramSpec& s) const;
  double rowHitRate() const;
};

DramRunSummary runTraffic(DramSystem& system, TrafficSource& source, uint64_t maxRequests,
                          const std::string& workload);

nlohmann::ordered_json summaryJson(const DramSpec& spec, const DramRunSummary& s);
std::string summaryText(const DramSpec& spec, const DramRunSummary& s);

}  // namespace specmamba::dram
