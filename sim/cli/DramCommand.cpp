// `specmamba dram`: replays a trace or a synthetic pattern on a DRAM preset
// and reports bandwidth, latency, row-buffer behaviour, commands and energy.
// Deterministic: the same arguments give byte-identical output.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "models/common/AtomicFile.h"
#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"
#include "sim/cli/Commands.h"
#include "sim/memory/DramModule.h"
#include "sim/memory/DramRun.h"
#include "sim/memory/DramSpec.h"

namespace specmamba::cli {

namespace {

struct DramOptions {
  std::string memory;
  std::string trace;
  std::string pattern;
  uint64_t stride = 0;
  double readRatio = 1.0;
  uint64_t requests = 0;  // 0: default (all trace lines, 100000 pattern requests)
  uint64_t seed = 1;
  bool json = false;
  bool quiet = false;
  bool check = false;
  bool systemc = false;
  std::string out;
  // Controller overrides (validated like the preset's own values).
  std::string mapping, scheduler, pagePolicy, refreshPolicy;
};

// The preset with the command-line controller overrides applied.
dram::DramSpec loadSpec(const DramOptions& o) {
  const LocatedConfig located = locateConfig("memory", o.memory);
  nlohmann::json doc = parseJsonText(located.text, located.origin);
  bool edited = false;
  auto set = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    doc["controller"][key] = value;
    edited = true;
  };
  set("mapping", o.mapping);
  set("scheduler", o.scheduler);
  set("page_policy", o.pagePolicy);
  set("refresh_policy", o.refreshPolicy);
  return dram::parseDramSpec(
      doc, edited ? located.origin + " (with command-line overrides)" : located.origin);
}

int runDram(const DramOptions& o) {
  if (o.trace.empty() == o.pattern.empty())
    throw Error("dram: give exactly one of --trace FILE or --pattern NAME");
  if (!o.pattern.empty() && o.pattern != "strided" && o.stride != 0) {
    throw Error("dram: --stride only applies to --pattern strided");
  }
  const dram::DramSpec spec = loadSpec(o);
  std::unique_ptr<dram::TrafficSource> source;
  std::string workload;
  uint64_t limit = o.requests;
  if (!o.trace.empty()) {
    workload = fmt::format("trace {}", o.trace);
    if (limit == 0) limit = UINT64_MAX;
    if (o.systemc) {
      // Validate the whole trace first: errors then surface here, not inside a
      // SystemC thread (whose own stack confuses AddressSanitizer).
      dram::TraceFileSource check(o.trace);
      dram::TrafficRequest r;
      for (uint64_t n = 0; n < limit && check.next(r);) ++n;
    }
    source = std::make_unique<dram::TraceFileSource>(o.trace);
  } else {
    const dram::Pattern p = dram::parsePattern(o.pattern);
    const uint64_t stride = o.stride != 0 ? o.stride : uint64_t(spec.org.rowBytes());
    source = std::make_unique<dram::PatternSource>(p, spec, stride, o.readRatio, o.seed);
    workload = fmt::format("{}{} read-ratio {} seed {}", o.pattern,
                           p == dram::Pattern::Strided ? fmt::format(" stride {}", stride) : "",
                           o.readRatio, o.seed);
    if (limit == 0) limit = 100000;
  }
  dram::DramSystemOptions so;
  so.checker = o.check;
  const dram::DramRunSummary s =
      o.systemc ? dram::runTrafficSystemC(spec, so, *source, limit, workload) : [&] {
        dram::DramSystem sys(spec, so);
        return dram::runTraffic(sys, *source, limit, workload);
      }();
  if (!o.trace.empty() && o.requests > s.requests) {
    fmt::print(stderr, "specmamba: warning: {} holds {} requests, fewer than --requests {}; ran them all\n",
               o.trace, s.requests, o.requests);
  }
  const std::string text =
      o.json ? dram::summaryJson(spec, s).dump(2) + "\n" : dram::summaryText(spec, s);
  if (!o.out.empty()) writeFileAtomically(o.out, text);
  if (o.quiet) {
    fmt::print("{}: {} requests, {:.2f} GB/s ({:.1f}% of peak), row hits {:.1f}%, {:.1f} nJ\n",
               spec.name, s.requests, s.bandwidthGBs(spec),
               100.0 * s.bandwidthGBs(spec) / spec.peakBandwidthGBs(), 100.0 * s.rowHitRate(),
               s.energy.total() / 1000.0);
  } else {
    fmt::print("{}", text);
  }
  return 0;
}

}  // namespace

void addDramCommand(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "dram", "Run a trace or synthetic pattern on a DRAM preset (HBM/DDR timing model)");
  auto o = std::make_shared<DramOptions>();
  cmd->add_option("--memory", o->memory, "Memory preset name (configs/memory) or JSON path")
      ->required();
  cmd->add_option("--trace", o->trace,
                  "Trace file: DRAMSim3 (0xADDR READ|WRITE|P_MEM_RD|P_MEM_WR CYCLE), Ramulator 2 "
                  "(LD|ST 0xADDR) or Ramulator 1 (0xADDR R|W)");
  cmd->add_option("--pattern", o->pattern, "Synthetic pattern: stream, random or strided");
  cmd->add_option("--stride", o->stride,
                  "Stride in bytes for --pattern strided (default: one row)");
  cmd->add_option("--read-ratio", o->readRatio, "Fraction of reads in a pattern (0..1)")
      ->capture_default_str();
  cmd->add_option("--requests", o->requests, "Number of requests (default: whole trace / 100000)");
  cmd->add_option("--seed", o->seed, "Seed of random patterns and read/write mix")
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the report as JSON");
  cmd->add_flag("--quiet", o->quiet, "Print a one-line summary only");
  cmd->add_flag("--check", o->check, "Run the protocol checker on every command");
  cmd->add_flag("--systemc", o->systemc,
                "Drive the model through its SystemC TLM-2.0 target (same results)");
  cmd->add_option("--out", o->out, "Also write the report to this file");
  cmd->add_option("--mapping", o->mapping, "Override the address mapping, e.g. RoBaBgCoCh");
  cmd->add_option("--scheduler", o->scheduler, "Override the scheduler (fr-fcfs, fcfs)");
  cmd->add_option("--page-policy", o->pagePolicy,
                  "Override the page policy (open, closed, closed-adaptive)");
  cmd->add_option("--refresh-policy", o->refreshPolicy,
                  "Override the refresh policy (all-bank, per-bank, none)");
  cmd->callback([&action, o]() { action = [o]() { return runDram(*o); }; });
}

}  // namespace specmamba::cli
