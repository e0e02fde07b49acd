#pragma once
// The report of `specmamba run`: JSON (stable key order, deterministic for a
// given experiment) and a readable table.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/platform/Experiment.h"
#include "sim/platform/RunResult.h"

namespace specmamba::platform {

// The units in the order every report lists them.
constexpr UnitKind kReportUnits[] = {UnitKind::Mmu,  UnitKind::Ssmu,  UnitKind::Htu,     UnitKind::Conv,
                                     UnitKind::Norm, UnitKind::Quant, UnitKind::Residual};
// a / b, or 0 when b is not positive (a run with nothing to divide by).
inline double ratioOrZero(double a, double b) { return b > 0 ? a / b : 0; }

struct RunFigures {
  double acceleratorSecondsPerToken = 0;
  double hostSecondsPerToken = 0;
  double tokensPerSecond = 0;             // end to end: accelerator + host
  double acceleratorTokensPerSecond = 0;  // accelerator alone
  uint64_t bytesPerToken = 0;
  double achievedGBs = 0;  // DRAM bytes / accelerator time
};
RunFigures runFigures(const Experiment& e, const RunResult& r);

// The head every run report starts with: experiment, model, platform, host,
// mode, weights, rotation.
nlohmann::ordered_json experimentJson(const Experiment& e);
nlohmann::ordered_json runReportJson(const Experiment& e, const RunResult& r);
std::string runReportText(const Experiment& e, const RunResult& r);

}  // namespace specmamba::platform
