// `specmamba sweep SWEEP.json`: a design-space sweep of experiments, one
// worker process per point, records in DIR/points.jsonl (resumable),
// points.csv, pareto.csv and a summary on stdout. `specmamba sweep merge`
// joins the directories of shards (Slurm job-array tasks) into one.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "models/common/AtomicFile.h"
#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "sim/cli/Commands.h"
#include "sim/sweep/SweepConfig.h"
#include "sim/sweep/SweepRecords.h"
#include "sim/sweep/SweepRunner.h"

namespace specmamba::cli {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

struct SweepOptions {
  std::string sweep;
  std::string out;
  std::string shard;
  int jobs = 1;
  bool resume = false;
  bool force = false;
  bool quiet = false;
  bool dryRun = false;
  // merge
  std::vector<std::string> dirs;
  std::string mergeOut;
};

struct Shard {
  int64_t index = 0, count = 1;
};

Shard parseShard(const std::string& text, const std::string& what) {
  const size_t slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    size_t a = 0, b = 0;
    const std::string is = text.substr(0, slash), ns = text.substr(slash + 1);
    const long long i = std::stoll(is, &a), n = std::stoll(ns, &b);
    if (a != is.size() || b != ns.size() || n < 1 || i < 0 || i >= n) throw std::invalid_argument("range");
    return {i, n};
  } catch (const std::exception&) {
    throw Error(fmt::format("{} \"{}\": expected I/N with 0 <= I < N (e.g. 0/4)", what, text));
  }
}

// --shard, or inside a Slurm job array its task's slice.
Shard selectShard(const SweepOptions& o) {
  if (!o.shard.empty()) return parseShard(o.shard, "--shard");
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  if (!id || !count) return {};
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  const std::string text = fmt::format("{}/{}", std::atoll(id) - (min ? std::atoll(min) : 0), count);
  return parseShard(text, "the Slurm job array task (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN / "
                          "SLURM_ARRAY_TASK_COUNT)");
}

// Holds DIR/.lock for the life of the sweep: two sweeps never write one directory.
class DirLock {
 public:
  explicit DirLock(const std::string& dir) {
    const std::string path = dir + "/.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      throw Error(fmt::format("{}: another sweep is writing this directory (its lock is held)", dir));
    }
  }
  ~DirLock() { ::close(fd_); }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

void makeDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    throw Error(fmt::format("{}: cannot create the results directory: {}", dir, ec ? ec.message() : "not a directory"));
  }
}

void removeResults(const std::string& dir) {
  for (const char* f : {"points.jsonl", "points.csv", "pareto.csv"}) std::remove((dir + "/" + f).c_str());
}

// DIR/sweep.json names the sweep whose records DIR holds.
json readIdentity(const std::string& dir) {
  const std::string path = dir + "/sweep.json";
  json id = readJsonFile(path);
  if (!id.is_object() || !id.contains("hash") || !id.contains("sweep") || !id.at("hash").is_string()) {
    throw ConfigError(fmt::format("{}: not a sweep identity file (no \"hash\" and \"sweep\")", path));
  }
  return id;
}

void writeIdentity(const std::string& dir, const sweep::SweepConfig& s) {
  const json id = {{"name", s.name}, {"hash", s.hash}, {"origin", s.origin}, {"sweep", s.canonical}};
  writeFileAtomically(dir + "/sweep.json", id.dump(2) + "\n");
}

// Binds DIR to this sweep: refuses another sweep's results (unless --force)
// and existing records without --resume.
void prepareDirectory(const SweepOptions& o, const std::string& dir, const sweep::SweepConfig& s) {
  const std::string log = dir + "/points.jsonl";
  if (!fs::exists(dir + "/sweep.json") && fs::exists(log) && fs::file_size(log) > 0 && !o.force) {
    throw Error(fmt::format("{} holds records but no sweep.json naming their sweep: choose another --out, or pass "
                            "--force to discard them",
                            dir));
  }
  if (fs::exists(dir + "/sweep.json")) {
    const json id = readIdentity(dir);
    if (id.at("hash").get<std::string>() != s.hash) {
      if (!o.force) {
        throw Error(fmt::format("{} holds results of another sweep (\"{}\", {}), not of {} ({}): choose another "
                                "--out, or pass --force to discard them",
                                dir, id.value("name", "?"), id.value("origin", "?"), s.origin, s.hash));
      }
      removeResults(dir);
    }
  }
  if (!fs::exists(dir + "/sweep.json") && o.force) removeResults(dir);
  if (!o.resume && fs::exists(log) && fs::file_size(log) > 0) {
    if (!o.force) {
      throw Error(fmt::format("{} already holds records of this sweep: --resume continues it, --force starts over",
                              dir));
    }
    removeResults(dir);
  }
  writeIdentity(dir, s);
}

// --dry-run: what the sweep would run, touching no file.
int dryRun(const sweep::SweepConfig& s, const Shard& shard) {
  int64_t duplicates = 0;
  const std::vector<int64_t> unique = sweep::uniquePoints(s, &duplicates);
  int64_t mine = 0, infeasible = 0, errors = 0;
  std::vector<sweep::SweepPoint> shown;
  for (size_t k = 0; k < unique.size(); ++k) {
    if (int64_t(k) % shard.count != shard.index) continue;
    ++mine;
    sweep::SweepPoint p = sweep::resolvePoint(s, unique[k]);
    infeasible += p.status == "infeasible";
    errors += p.status == "error";
    if (shown.size() < 5) shown.push_back(std::move(p));
  }
  fmt::print("sweep {} ({}): {} points in the space, {} duplicates dropped, {} unique\n", s.name, s.origin,
             s.size(), duplicates, unique.size());
  if (shard.count > 1) fmt::print("shard {}/{}: {} points\n", shard.index, shard.count, mine);
  fmt::print("would run {} ({} pruned by constraints, {} with fields that cannot be derived)\n",
             mine - infeasible - errors, infeasible, errors);
  for (const sweep::SweepPoint& p : shown) {
    fmt::print("  point {} {}{}: {}\n", p.index, p.id, p.status.empty() ? "" : " (" + p.status + ")",
               p.params.dump());
  }
  if (mine > int64_t(shown.size())) fmt::print("  ... and {} more\n", mine - int64_t(shown.size()));
  return 0;
}

int runSweep(const SweepOptions& o) {
  const sweep::SweepConfig s = sweep::loadSweep(o.sweep);
  sweep::checkFirstPoint(s);
  const Shard shard = selectShard(o);
  if (o.dryRun) return dryRun(s, shard);
  const std::string dir = o.out.empty() ? "sweep-" + s.name : o.out;
  makeDir(dir);
  DirLock lock(dir);
  prepareDirectory(o, dir, s);

  int64_t duplicates = 0;
  std::vector<std::string> ids;
  const std::vector<int64_t> unique = sweep::uniquePoints(s, &duplicates, &ids);
  std::vector<int64_t> mine;  // this shard's points: every count-th of the unique ones
  std::vector<std::string> mineIds;
  for (size_t k = 0; k < unique.size(); ++k) {
    if (int64_t(k) % shard.count == shard.index) {
      mine.push_back(unique[k]);
      mineIds.push_back(ids[k]);
    }
  }
  auto log = std::make_unique<sweep::RecordLog>(dir + "/points.jsonl");
  std::vector<int64_t> pending;
  for (size_t k = 0; k < mine.size(); ++k) {
    if (!log->has(mineIds[k])) pending.push_back(mine[k]);
  }
  if (!o.quiet) {
    fmt::print(stderr, "specmamba sweep: {}: {} points ({} duplicates dropped){}, {} recorded already, {} to go, -j {}\n",
               s.name, unique.size(), duplicates,
               shard.count > 1 ? fmt::format(", shard {}/{} holds {}", shard.index, shard.count, mine.size()) : "",
               mine.size() - pending.size(), pending.size(), o.jobs);
  }
  Progress progress("specmamba sweep", !o.quiet);
  const sweep::RunStats stats = sweep::runPoints(s, pending, *log, sweep::runExperimentPoint, o.jobs, progress,
                                                 int64_t(mine.size() - pending.size()), int64_t(mine.size()));
  // The records of this directory, in index order, whatever order the workers finished in.
  std::vector<json> records = log->records();
  log.reset();
  sweep::writeOutputs(s, dir, records);
  // Expected: this shard's points and any other shard's already recorded here.
  std::set<std::string> expected(mineIds.begin(), mineIds.end());
  for (const json& r : records) expected.insert(r.at("id").get<std::string>());
  fmt::print("{}", sweep::summaryText(s, records, int64_t(expected.size())));
  if (!o.quiet && stats.simulated > 0) {
    fmt::print(stderr,
               "specmamba sweep: {} points in {:.2f} s ({:.1f} points/s with -j {}); per point {:.1f} ms, of which "
               "{:.1f} ms in the run and {:.1f} ms worker overhead\n",
               stats.recorded, stats.wallSeconds, double(stats.recorded) / std::max(stats.wallSeconds, 1e-9), o.jobs,
               1e3 * stats.pointSeconds / double(stats.simulated), 1e3 * stats.runSeconds / double(stats.simulated),
               1e3 * (stats.pointSeconds - stats.runSeconds) / double(stats.simulated));
  }
  if (stats.interrupted > 0) {
    throw Error(fmt::format("{} points were interrupted (their workers were killed) and not recorded: run again "
                            "with --resume",
                            stats.interrupted));
  }
  return 0;
}

int mergeSweeps(const SweepOptions& o) {
  std::string hash;
  json canonical;
  std::map<std::string, json> byId;  // one record per point, whichever directory it came from
  for (const std::string& dir : o.dirs) {
    const json id = readIdentity(dir);
    if (hash.empty()) {
      hash = id.at("hash").get<std::string>();
      canonical = id.at("sweep");
    } else if (id.at("hash").get<std::string>() != hash) {
      throw Error(fmt::format("{} holds results of another sweep ({}) than {} ({}): merge shards of one sweep",
                              dir, id.at("hash").get<std::string>(), o.dirs.front(), hash));
    }
    const std::string log = dir + "/points.jsonl";
    if (!fs::exists(log)) continue;  // a shard that recorded nothing yet
    for (json& r : sweep::readRecords(log)) {
      const std::string key = r.at("id").get<std::string>();
      auto it = byId.find(key);
      // Prefer a record that ran to completion over an error of an earlier try.
      if (it == byId.end() || (it->second.at("status") != "ok" && r.at("status") == "ok")) byId[key] = std::move(r);
    }
  }
  const sweep::SweepConfig s = sweep::parseSweep(canonical, o.dirs.front() + "/sweep.json");
  if (s.hash != hash) {
    throw Error(fmt::format("{}/sweep.json: its sweep hashes to {}, not to the recorded {} (edited by hand?)",
                            o.dirs.front(), s.hash, hash));
  }
  makeDir(o.mergeOut);
  DirLock lock(o.mergeOut);
  if (fs::exists(o.mergeOut + "/sweep.json") && readIdentity(o.mergeOut).at("hash").get<std::string>() != hash) {
    throw Error(fmt::format("{} holds results of another sweep: merge into a new directory", o.mergeOut));
  }
  writeIdentity(o.mergeOut, s);
  std::vector<json> records;
  for (auto& [key, r] : byId) records.push_back(std::move(r));
  sweep::writeOutputs(s, o.mergeOut, records);
  int64_t duplicates = 0;
  fmt::print("{}", sweep::summaryText(s, records, int64_t(sweep::uniquePoints(s, &duplicates).size())));
  return 0;
}

}  // namespace

void addSweepCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("sweep", "Design-space sweep: run an experiment over a space of parameters");
  auto o = std::make_shared<SweepOptions>();
  cmd->add_option("sweep", o->sweep, "Sweep: a name of configs/sweeps or a JSON path");
  cmd->add_option("-j,--jobs", o->jobs, "Worker processes (one simulation each at a time)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--shard", o->shard, "Run the I-th of N deterministic slices (I/N); default inside a Slurm job "
                                       "array: the array task's slice");
  cmd->add_option("--out", o->out, "Results directory (default sweep-NAME)");
  cmd->add_flag("--resume", o->resume, "Continue a sweep in --out: run only the points not recorded yet");
  cmd->add_flag("--force", o->force, "Discard the results already in --out (of this or another sweep)");
  cmd->add_flag("--quiet", o->quiet, "No progress line on stderr");
  cmd->add_flag("--dry-run", o->dryRun, "Print how many points would run (and the first few), run nothing");
  auto* merge = cmd->add_subcommand("merge", "Join the results directories of shards of one sweep");
  merge->add_option("dirs", o->dirs, "Results directories of the shards")->required();
  merge->add_option("--out", o->mergeOut, "Directory of the merged results")->required();
  cmd->callback([&action, o, cmd, merge]() {
    if (merge->parsed()) {
      action = [o]() { return mergeSweeps(*o); };
      return;
    }
    if (o->sweep.empty()) throw CLI::RequiredError("sweep");
    (void)cmd;
    action = [o]() { return runSweep(*o); };
  });
}

}  // namespace specmamba::cli
