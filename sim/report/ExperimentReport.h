#pragma once
// One experiment on the platform, plain or speculative (what `specmamba run`
// prints and what a sweep point records): the JSON report and its table.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/platform/Experiment.h"
#include "sim/report/Progress.h"

namespace specmamba {

struct ExperimentReport {
  nlohmann::ordered_json json;
  std::string text;
};

// Builds the golden models a functional run needs, simulates, reports.
ExperimentReport runExperimentReport(const platform::Experiment& e, Progress& progress);

}  // namespace specmamba
