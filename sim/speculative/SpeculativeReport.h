#pragma once
// The report of a speculative `specmamba run`: JSON (stable key order,
// deterministic) and a readable table.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/platform/Experiment.h"
#include "sim/speculative/SpeculativeScheduler.h"

namespace specmamba::platform {

struct SpeculativeFigures {
  double acceleratorSeconds = 0, hostSeconds = 0;
  double tokensPerSecond = 0, acceleratorTokensPerSecond = 0;
  double baselineTokensPerSecond = 0, baselineAcceleratorTokensPerSecond = 0;
  double speedup = 0, acceleratorSpeedup = 0;
  double meanAcceptedPerPass = 0;  // tokens emitted per target pass (accepted + bonus)
};
SpeculativeFigures speculativeFigures(const Experiment& e, const SpeculativeRunResult& r);

nlohmann::ordered_json speculativeReportJson(const Experiment& e, const SpeculativeRunResult& r);
std::string speculativeReportText(const Experiment& e, const SpeculativeRunResult& r);

}  // namespace specmamba::platform
