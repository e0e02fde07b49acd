#pragma once
// Sweep results: one JSON record per point in DIR/points.jsonl (appended one
// whole line at a time, a torn last line dropped on reopening), the CSV of
// all records, the Pareto front and the summary table.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/sweep/SweepConfig.h"

namespace specmamba::sweep {

// A figure every record keeps when its report has it: the first of
// `pointers` present in the report JSON.
struct StandardFigure {
  std::string name;
  std::vector<std::string> pointers;
  bool maximize;   // the better direction
  bool objective;  // one of the default Pareto objectives
};
const std::vector<StandardFigure>& standardFigures();

// The standard figures the report has, then the sweep's own figures;
// throws std::invalid_argument naming a figure of the sweep that fails.
nlohmann::json extractFigures(const SweepConfig& sweep, const nlohmann::json& report);

// A record (wall time aside, a function of the point and its run only).
// wallSeconds: fork to reap in the sweep; runSeconds: the run inside the worker.
nlohmann::json makeRecord(const SweepPoint& point, const std::string& status, const std::string& error,
                          const nlohmann::json& figures, double wallSeconds, double runSeconds);

// DIR/points.jsonl, opened for appending.
class RecordLog {
 public:
  // Reads the records already there; drops (and truncates away) a torn last line.
  explicit RecordLog(const std::string& path);
  ~RecordLog();
  RecordLog(const RecordLog&) = delete;
  RecordLog& operator=(const RecordLog&) = delete;

  const std::vector<nlohmann::json>& records() const { return records_; }
  bool has(const std::string& id) const;
  // One write(2) of the whole line with O_APPEND: a killed sweep leaves whole records.
  void append(const nlohmann::json& record);

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<nlohmann::json> records_;
  std::vector<std::string> ids_;  // sorted
};

// Reads a points.jsonl without opening it for writing (merge).
std::vector<nlohmann::json> readRecords(const std::string& path);

// The objectives in force: the sweep's, or the standard ones the records have.
std::vector<Objective> effectiveObjectives(const SweepConfig& sweep, const std::vector<nlohmann::json>& records);

// Indices (into `records`) of the ok records no other ok record dominates.
std::vector<size_t> paretoFront(const std::vector<nlohmann::json>& records, const std::vector<Objective>& objectives);

// points.csv / pareto.csv of records sorted by index (atomic writes).
void writeCsv(const std::string& path, const std::vector<nlohmann::json>& records);

// Counts by status, the best point per objective and the front's size.
std::string summaryText(const SweepConfig& sweep, const std::vector<nlohmann::json>& records,
                        int64_t expectedPoints);

// Writes points.jsonl, points.csv and pareto.csv of `records` in index
// order into `dir`, each atomically (whatever order the workers finished in).
void writeOutputs(const SweepConfig& sweep, const std::string& dir, std::vector<nlohmann::json> records);

}  // namespace specmamba::sweep
