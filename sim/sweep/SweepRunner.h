#pragma once
// Runs sweep points in worker processes: one fork per point, at most `jobs`
// at once, so SystemC elaborates once per process and a crashing point takes
// down its own worker only. The parent alone writes records.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/report/Progress.h"
#include "sim/sweep/SweepConfig.h"
#include "sim/sweep/SweepRecords.h"

namespace specmamba::sweep {

// Runs one experiment document in the calling (worker) process and returns
// its report JSON; throws specmamba::Error on a bad experiment.
using PointRun = std::function<nlohmann::json(const nlohmann::json& experiment, const std::string& origin)>;

// The PointRun of `specmamba sweep`: parses the experiment and runs it as
// `specmamba run` would, returning its JSON report.
nlohmann::json runExperimentPoint(const nlohmann::json& experiment, const std::string& origin);

struct RunStats {
  int64_t recorded = 0;     // records appended by this run
  int64_t failed = 0;       // of them, status "error"
  int64_t interrupted = 0;  // workers killed from outside: not recorded, run again on --resume
  double wallSeconds = 0;
  double pointSeconds = 0;  // summed worker wall time of the points that ran
  double runSeconds = 0;    // of it, inside the runs themselves
  int64_t simulated = 0;    // points that ran a simulation
};

// Points `pending` (indices into the sweep's enumeration): infeasible ones
// and ones whose fields could not be derived are recorded without running.
// `alreadyDone` and `total` only shape the progress line.
RunStats runPoints(const SweepConfig& sweep, const std::vector<int64_t>& pending, RecordLog& log,
                   const PointRun& run, int jobs, Progress& progress, int64_t alreadyDone, int64_t total);

}  // namespace specmamba::sweep
