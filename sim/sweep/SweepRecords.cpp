#include "sim/sweep/SweepRecords.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "models/common/AtomicFile.h"
#include "models/common/Error.h"
#include "sim/report/TextTable.h"

namespace specmamba::sweep {

using json = nlohmann::json;

const std::vector<StandardFigure>& standardFigures() {
  // Report pointers of `specmamba run --json` (plain, then speculative
  // reports); tokens_per_j and lut join when the reports carry energy and
  // resources.
  static const std::vector<StandardFigure> kFigures = {
      {"tokens_per_s", {"/tokens_per_s"}, true, true},
      {"accelerator_tokens_per_s", {"/accelerator_tokens_per_s"}, true, false},
      {"tokens_per_j", {"/energy/tokens_per_j"}, true, true},
      {"lut", {"/resources/lut"}, false, true},
      {"cycles_per_token", {"/cycles_per_token"}, false, false},
      {"dram_bytes_per_token", {"/dram/bytes_per_token/total", "/speculative/port_bytes_per_token"}, false, false},
      {"achieved_gbs", {"/dram/achieved_gbs"}, true, false},
      {"mmu_utilization", {"/utilization/mmu", "/speculative/utilization/mmu"}, true, false},
      {"ssmu_utilization", {"/utilization/ssmu", "/speculative/utilization/ssmu"}, true, false},
      {"speedup", {"/speculative/speedup"}, true, false},
      {"accelerator_speedup", {"/speculative/accelerator_speedup"}, true, false},
      {"mean_accepted_per_pass", {"/speculative/mean_accepted_per_pass"}, true, false},
  };
  return kFigures;
}

json extractFigures(const SweepConfig& sweep, const json& report) {
  json figures = json::object();
  for (const StandardFigure& f : standardFigures()) {
    for (const std::string& p : f.pointers) {
      const json::json_pointer ptr(p);
      if (report.contains(ptr) && report.at(ptr).is_number()) {
        figures[f.name] = report.at(ptr);
        break;
      }
    }
  }
  for (const NamedExpression& f : sweep.figures) {
    try {
      figures[f.name] = f.expr.evaluate(report);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("figure \"{}\" ({}): {} in the report", f.name, f.where, e.what()));
    }
  }
  return figures;
}

json makeRecord(const SweepPoint& point, const std::string& status, const std::string& error, const json& figures,
                double wallSeconds, double runSeconds) {
  json r;
  r["id"] = point.id;
  r["index"] = point.index;
  r["status"] = status;
  r["params"] = point.params;
  r["figures"] = figures.is_null() ? json::object() : figures;
  if (!error.empty()) r["error"] = error;
  r["experiment"] = point.experiment;
  r["wall_s"] = wallSeconds;
  r["run_s"] = runSeconds;
  return r;
}

namespace {

// Whole lines that parse as records; `good` = bytes up to the last of them.
std::vector<json> parseLog(const std::string& text, size_t& good) {
  std::vector<json> out;
  good = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;  // torn: written without its newline
    try {
      json r = json::parse(text.substr(pos, nl - pos));
      if (!r.is_object() || !r.contains("id") || !r.contains("status")) break;
      out.push_back(std::move(r));
    } catch (const json::exception&) {
      break;
    }
    pos = nl + 1;
    good = pos;
  }
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

RecordLog::RecordLog(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  const std::string text = slurp(path);
  size_t good = 0;
  records_ = parseLog(text, good);
  if (good != text.size() && ::ftruncate(fd_, off_t(good)) != 0) {
    throw Error(fmt::format("{}: cannot drop a torn last record: {}", path, std::strerror(errno)));
  }
  for (const json& r : records_) ids_.push_back(r.at("id").get<std::string>());
  std::sort(ids_.begin(), ids_.end());
}

RecordLog::~RecordLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool RecordLog::has(const std::string& id) const { return std::binary_search(ids_.begin(), ids_.end(), id); }

void RecordLog::append(const json& record) {
  const std::string line = record.dump() + "\n";
  const ssize_t n = ::write(fd_, line.data(), line.size());
  if (n != ssize_t(line.size())) {
    throw Error(fmt::format("{}: cannot append a record: {}", path_, n < 0 ? std::strerror(errno) : "short write"));
  }
  records_.push_back(record);
  const std::string id = record.at("id").get<std::string>();
  ids_.insert(std::upper_bound(ids_.begin(), ids_.end(), id), id);
}

std::vector<json> readRecords(const std::string& path) {
  std::ifstream probe(path);
  if (!probe) throw Error(fmt::format("{}: cannot read", path));
  size_t good = 0;
  return parseLog(slurp(path), good);
}

namespace {

// The value of an objective in a record; nullopt when it has none.
std::optional<double> objectiveValue(const json& r, const Objective& o) {
  const json& from = o.key[0] == '/' ? r.at("params") : r.at("figures");
  auto it = from.find(o.key);
  if (it == from.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

bool isOk(const json& r) { return r.at("status") == "ok"; }

std::string cell(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.6g}", v.get<double>());
  return v.dump();
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::vector<json> byIndex(std::vector<json> records) {
  std::sort(records.begin(), records.end(),
            [](const json& a, const json& b) { return a.at("index").get<int64_t>() < b.at("index").get<int64_t>(); });
  return records;
}

}  // namespace

std::vector<Objective> effectiveObjectives(const SweepConfig& sweep, const std::vector<json>& records) {
  if (!sweep.objectives.empty()) return sweep.objectives;
  std::vector<Objective> out;
  for (const StandardFigure& f : standardFigures()) {
    if (!f.objective) continue;
    const bool present = std::any_of(records.begin(), records.end(),
                                     [&](const json& r) { return isOk(r) && r.at("figures").contains(f.name); });
    if (present) out.push_back({f.name, f.maximize});
  }
  return out;
}

std::vector<size_t> paretoFront(const std::vector<json>& records, const std::vector<Objective>& objectives) {
  // Objective values oriented so that larger is better; records missing any are left out.
  std::vector<std::pair<size_t, std::vector<double>>> pts;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!isOk(records[i])) continue;
    std::vector<double> v;
    for (const Objective& o : objectives) {
      const auto x = objectiveValue(records[i], o);
      if (!x) break;
      v.push_back(o.maximize ? *x : -*x);
    }
    if (v.size() == objectives.size() && !v.empty()) pts.emplace_back(i, std::move(v));
  }
  std::vector<size_t> front;
  for (const auto& [i, a] : pts) {
    bool dominated = false;
    for (const auto& [j, b] : pts) {
      if (i == j) continue;
      bool geq = true, gt = false;
      for (size_t k = 0; k < a.size() && geq; ++k) {
        geq = b[k] >= a[k];
        gt = gt || b[k] > a[k];
      }
      if (geq && gt) {
        dominated = true;
        break;
      }
    }
    if (!dominated) front.push_back(i);
  }
  return front;
}

void writeCsv(const std::string& path, const std::vector<json>& unsorted) {
  const std::vector<json> records = byIndex(unsorted);
  std::set<std::string> params, figures;
  for (const json& r : records) {
    for (const auto& p : r.at("params").items()) params.insert(p.key());
    for (const auto& f : r.at("figures").items()) figures.insert(f.key());
  }
  writeFileAtomically(path, [&](std::ostream& out) {
    out << "index,id,status";
    for (const std::string& p : params) out << ',' << csvField(p);
    for (const std::string& f : figures) out << ',' << csvField(f);
    out << ",error\n";
    for (const json& r : records) {
      out << r.at("index").get<int64_t>() << ',' << r.at("id").get<std::string>() << ','
          << r.at("status").get<std::string>();
      for (const std::string& p : params) {
        out << ',' << (r.at("params").contains(p) ? csvField(cell(r.at("params").at(p))) : "");
      }
      for (const std::string& f : figures) {
        out << ',' << (r.at("figures").contains(f) ? csvField(cell(r.at("figures").at(f))) : "");
      }
      out << ',' << csvField(r.value("error", "")) << '\n';
    }
  });
}

std::string summaryText(const SweepConfig& sweep, const std::vector<json>& unsorted, int64_t expectedPoints) {
  const std::vector<json> records = byIndex(unsorted);
  std::map<std::string, int64_t> byStatus;
  for (const json& r : records) ++byStatus[r.at("status").get<std::string>()];
  std::string out = fmt::format("sweep {}: {} of {} points recorded ({} ok, {} infeasible, {} error)\n", sweep.name,
                                records.size(), expectedPoints, byStatus["ok"], byStatus["infeasible"],
                                byStatus["error"]);
  if (int64_t(records.size()) < expectedPoints) {
    out += fmt::format("{} points not recorded yet: run again with --resume (or merge the other shards)\n",
                       expectedPoints - int64_t(records.size()));
  }
  const std::vector<Objective> objectives = effectiveObjectives(sweep, records);
  const auto paramsText = [](const json& r) {
    std::string s;
    for (const auto& p : r.at("params").items()) s += fmt::format("{}{}={}", s.empty() ? "" : " ", p.key(), cell(p.value()));
    return s;
  };
  TextTable best({"objective", "best", "point", "index", "parameters"});
  for (const Objective& o : objectives) {
    const json* bestRecord = nullptr;
    double bestValue = 0;
    for (const json& r : records) {
      if (!isOk(r)) continue;
      const auto v = objectiveValue(r, o);
      if (v && (!bestRecord || (o.maximize ? *v > bestValue : *v < bestValue))) {
        bestRecord = &r;
        bestValue = *v;
      }
    }
    if (!bestRecord) continue;
    best.addRow({fmt::format("{} ({})", o.key, o.maximize ? "max" : "min"), fmt::format("{:.6g}", bestValue),
                 bestRecord->at("id").get<std::string>(), std::to_string(bestRecord->at("index").get<int64_t>()),
                 paramsText(*bestRecord)});
  }
  out += best.render();
  std::string names;
  for (const Objective& o : objectives) names += (names.empty() ? "" : ", ") + o.key + (o.maximize ? " max" : " min");
  out += fmt::format("Pareto front over {}: {} points (pareto.csv)\n", names.empty() ? "nothing" : names,
                     paretoFront(records, objectives).size());
  return out;
}

void writeOutputs(const SweepConfig& sweep, const std::string& dir, std::vector<json> records) {
  records = byIndex(std::move(records));
  writeFileAtomically(dir + "/points.jsonl", [&](std::ostream& out) {
    for (const json& r : records) out << r.dump() << '\n';
  });
  writeCsv(dir + "/points.csv", records);
  std::vector<json> front;
  for (size_t i : paretoFront(records, effectiveObjectives(sweep, records))) front.push_back(records[i]);
  writeCsv(dir + "/pareto.csv", front);
}

}  // namespace specmamba::sweep
