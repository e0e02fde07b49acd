// DRAM model speed: simulated requests per wall-clock second on one core
// (issue 4). Event driven, so idle controllers cost nothing.
#include <fmt/format.h>

#include <ctime>
#include <memory>

#include "bench/Benchmarks.h"
#include "models/common/Fnv1a.h"
#include "sim/memory/DramRun.h"
#include "sim/memory/DramSpec.h"

namespace specmamba::bench {

namespace {

struct Options {
  std::string memory = "hbm2-u280";
  std::string pattern = "stream";
  uint64_t requests = 2'000'000;
  double readRatio = 1.0;
  uint64_t seed = 1;
  bool check = false;
  bool digest = false;
};

// FNV-1a 64 over every command issued (kind, address, cycle): two builds that
// print the same digest issued the same command stream.
struct CommandDigest {
  Fnv1a h;
  uint64_t commands = 0;
  void add(dram::Command c, const dram::DramAddress& a, dram::Cycle at) {
    ++commands;
    for (int64_t v : {int64_t(c), int64_t(a.channel), int64_t(a.rank), int64_t(a.bankGroup),
                      int64_t(a.bank), a.row, a.column, at})
      h.add(&v, sizeof v);
  }
};

int run(const Options& o) {
  const dram::DramSpec spec = dram::loadDramSpec(o.memory);
  dram::PatternSource source(dram::parsePattern(o.pattern), spec, uint64_t(spec.org.rowBytes()),
                             o.readRatio, o.seed);
  dram::DramSystemOptions so;
  so.checker = o.check;
  dram::DramSystem system(spec, so);
  CommandDigest digest;
  if (o.digest) {
    system.setObserver([&digest](dram::Command c, const dram::DramAddress& a, dram::Cycle at) {
      digest.add(c, a, at);
    });
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  const dram::DramRunSummary s = dram::runTraffic(system, source, o.requests, o.pattern);
  const double wall = secondsSince(t0);
  const double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
  fmt::print(
      "dram memory={} pattern={} read_ratio={} requests={} checker={} wall_s={:.3f} "
      "cpu_s={:.3f} requests_per_s={:.0f} requests_per_cpu_s={:.0f} simulated_GBps={:.1f} "
      "efficiency={:.3f} cycles={} controller_steps={} peak_rss_MiB={:.0f}\n",
      spec.name, o.pattern, o.readRatio, s.requests, o.check ? "on" : "off", wall, cpu,
      double(s.requests) / wall, double(s.requests) / cpu, s.bandwidthGBs(spec),
      s.bandwidthGBs(spec) / spec.peakBandwidthGBs(), s.cycles(), s.stats.steps, peakRssMiB());
  if (o.digest) fmt::print("dram commands={} command_digest={:016x}\n", digest.commands, digest.h.value);
  return 0;
}

}  // namespace

void addDramBench(CLI::App& app, Runner& runner) {
  auto* cmd = app.add_subcommand("dram", "DRAM timing model: simulated requests per wall second");
  auto o = std::make_shared<Options>();
  cmd->add_option("--memory", o->memory)->capture_default_str();
  cmd->add_option("--pattern", o->pattern, "stream, random or strided")->capture_default_str();
  cmd->add_option("--requests", o->requests)->capture_default_str();
  cmd->add_option("--read-ratio", o->readRatio)->capture_default_str();
  cmd->add_option("--seed", o->seed)->capture_default_str();
  cmd->add_flag("--check", o->check, "Protocol checker on");
  cmd->add_flag("--digest", o->digest,
                "Also print a digest of the command stream (slower: an observer on every command)");
  cmd->callback([&runner, o]() { runner = [o]() { return run(*o); }; });
}

}  // namespace specmamba::bench
