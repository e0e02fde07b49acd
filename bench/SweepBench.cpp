// Sweep throughput (issue 16): the first N points of a shipped sweep run
// with -j workers into a scratch directory, as `specmamba sweep` runs them.
// Prints points per wall second, the wall time per point and how much of it
// is the simulation itself vs the worker's overhead (fork, parse, report,
// pipe, record), and peak RSS of the sweep and of its largest worker.
#include <fmt/format.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "bench/Benchmarks.h"
#include "sim/sweep/SweepConfig.h"
#include "sim/sweep/SweepRecords.h"
#include "sim/sweep/SweepRunner.h"

namespace specmamba::bench {

namespace {

struct Options {
  std::string sweep = "lightmamba-vck190";
  int points = 1000;
  int jobs = 2;
};

int run(const Options& o) {
  const sweep::SweepConfig s = sweep::loadSweep(o.sweep);
  std::vector<int64_t> points = sweep::uniquePoints(s, nullptr);
  if (int64_t(points.size()) > o.points) points.resize(size_t(o.points));
  std::string dir = (std::filesystem::temp_directory_path() / "specmamba-sweep-bench-XXXXXX").string();
  if (!mkdtemp(dir.data())) return 2;
  int64_t ok = 0;
  sweep::RunStats st;
  {
    sweep::RecordLog log(dir + "/points.jsonl");
    Progress quiet("", false);
    st = sweep::runPoints(s, points, log, sweep::runExperimentPoint, o.jobs, quiet, 0, int64_t(points.size()));
    for (const auto& r : log.records()) ok += r.at("status") == "ok";
  }
  std::filesystem::remove_all(dir);
  rusage children{};
  getrusage(RUSAGE_CHILDREN, &children);
  const double perPoint = st.simulated ? st.pointSeconds / double(st.simulated) : 0.0;
  const double inRun = st.simulated ? st.runSeconds / double(st.simulated) : 0.0;
  fmt::print(
      "sweep sweep={} points={} ok={} jobs={} wall_s={:.2f} points_per_s={:.1f} point_wall_ms={:.1f} "
      "point_run_ms={:.1f} point_overhead_ms={:.2f} peak_rss_MiB={:.0f} worker_peak_rss_MiB={:.0f}\n",
      s.name, st.recorded, ok, o.jobs, st.wallSeconds, double(st.recorded) / st.wallSeconds, 1e3 * perPoint,
      1e3 * inRun, 1e3 * (perPoint - inRun), peakRssMiB(), double(children.ru_maxrss) / 1024.0);
  return 0;
}

}  // namespace

void addSweepBench(CLI::App& app, Runner& runner) {
  auto* cmd = app.add_subcommand("sweep", "Sweep throughput: points per second with -j workers");
  auto o = std::make_shared<Options>();
  cmd->add_option("--sweep", o->sweep, "A configs/sweeps name or a JSON path")->capture_default_str();
  cmd->add_option("--points", o->points, "Run the first N points")->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("-j,--jobs", o->jobs, "Worker processes")->check(CLI::Range(1, 256))->capture_default_str();
  cmd->callback([&runner, o]() { runner = [o]() { return run(*o); }; });
}

}  // namespace specmamba::bench
