// The accelerator's memory port on a model's per-layer stream (SPEC §4):
// effective bandwidth and the memory-bound token rate it implies, detailed vs
// burst timing, and the speed of both (docs/validation.md "Memory port",
// docs/performance.md).
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <memory>

#include "bench/Benchmarks.h"
#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "models/config/ModelConfig.h"
#include "sim/config/PlatformConfig.h"
#include "sim/platform/AcceleratorConfig.h"
#include "sim/platform/BurstStreamPort.h"
#include "sim/platform/MemoryMap.h"

namespace specmamba::bench {

namespace {

struct Options {
  std::string platform = "vck190";
  std::string model = "mamba2-2.7b";
  std::string precision = "w4a4";
  int detailedLayers = 2;
  int tokens = 32;
  int axiPorts = 0;  // 0: the platform's
  int busBits = 0;   // accelerator bus; 0: every AXI port
  int outstanding = 0;
  double latencyNs = -1;  // interconnect round trip, split evenly; < 0: the platform's
  std::string issue = "ahead";
};

// When the sequencer lets a segment go: as soon as the port allows (ahead),
// each weight loop after the previous segment's data arrived (loop), or every
// segment after the previous one's data arrived (segment).
enum class Issue { Ahead, Loop, Segment };

Issue parseIssue(const std::string& name) {
  if (name == "ahead") return Issue::Ahead;
  if (name == "loop") return Issue::Loop;
  if (name == "segment") return Issue::Segment;
  throw Error(fmt::format("--issue: \"{}\" is not one of ahead, loop, segment", name));
}

struct Timed {
  platform::AccelCycle cycles = 0;
  uint64_t segments = 0;
  double seconds = 0, cpuSeconds = 0;
};

// `tokens` x the first `layers` layers: the stream alone, no compute.
Timed runStream(platform::StreamPort& port,
                const std::vector<std::vector<platform::StreamSegment>>& image, int tokens,
                size_t layers, Issue issue) {
  Timed t;
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  for (int k = 0; k < tokens; ++k) {
    for (size_t l = 0; l < layers; ++l) {
      bool afterScales = false;
      for (const auto& s : image[l]) {
        // A loop starts at its scale beats, or at its weights where it has
        // none (a wide bus shares few scale beats out over many loops), as
        // in the sequencer.
        const bool loopStart = s.category == platform::StreamCategory::Scales ||
                               (s.category == platform::StreamCategory::Weights && !afterScales);
        afterScales = s.category == platform::StreamCategory::Scales;
        const bool wait = issue == Issue::Segment || (issue == Issue::Loop && loopStart);
        t.cycles = port.transfer(s, wait ? t.cycles : 0);
      }
      t.segments += image[l].size();
    }
  }
  t.seconds = secondsSince(t0);
  t.cpuSeconds = double(std::clock() - c0) / CLOCKS_PER_SEC;
  return t;
}

int run(const Options& o) {
  const Issue issue = parseIssue(o.issue);
  const PlatformConfig p = loadPlatformConfig(o.platform);
  const ModelConfig m = loadModelConfig(o.model);
  platform::StreamPortConfig c = platform::streamPortConfig(p, "detailed");
  if (o.axiPorts > 0) c.axiPorts = o.axiPorts;
  if (o.outstanding > 0) c.readOutstanding = c.writeOutstanding = o.outstanding;
  if (o.latencyNs >= 0) c.requestLatencyNs = c.responseLatencyNs = o.latencyNs / 2;
  // The stream is the platform's memory map (the sequencer's segments) for
  // an accelerator validated as an experiment's "accelerator" object is, with
  // the bench's precision and a bus of `busBits` (default: every AXI port,
  // as the release set-ups run); as on the platform, a bus wider than one
  // port is striped over busBits / port width ports (Platform.cpp, WideBusPort).
  const int busBits = o.busBits > 0 ? o.busBits : c.axiPorts * c.busBits;
  const nlohmann::json accelJson{{"precision", o.precision}, {"bus_bits", busBits}};
  const platform::AcceleratorConfig accel = platform::parseAcceleratorConfig(
      JsonNode(accelJson, "specmamba-bench port", "/accelerator").asObject(), m, c.accelClockMhz,
      c.axiPorts * c.busBits);
  const platform::MemoryMap map(m, accel);
  if (busBits <= c.busBits) {
    c.busBits = busBits;
    c.axiPorts = 1;
  } else {
    c.axiPorts = busBits / c.busBits;  // parseAcceleratorConfig: powers of two
  }
  const uint64_t portBeatsPerBeat = uint64_t(busBits / c.busBits);
  std::vector<std::vector<platform::StreamSegment>> image;
  uint64_t reads = 0, writes = 0;  // of one layer, in beats of one port
  for (int l = 0; l < m.nLayer; ++l) {
    image.push_back(map.layer(l).segments);
    for (auto& s : image.back()) {
      s.beats *= portBeatsPerBeat;
      if (l == 0) (s.write ? writes : reads) += s.beats;
    }
  }

  const double layerBytes = double(reads + writes) * c.busBits / 8;
  const double cycleNs = 1000.0 / c.accelClockMhz;
  const double busGBs = c.axiPorts * c.busBits / 8.0 * c.accelClockMhz / 1000.0;
  fmt::print(
      "port platform={} memory={} model={} precision={} accel_MHz={} accel_bus_bits={} axi_ports={} bus_bits={} "
      "bus_limit_GBps={:.2f} dram_peak_GBps={:.2f} burst_beats={} outstanding={}/{} "
      "latency_ns={}+{} issue={}\n",
      p.name, c.memory.name, m.name, o.precision, c.accelClockMhz, busBits, c.axiPorts, c.busBits, busGBs,
      c.memory.peakBandwidthGBs(), c.burstBeats, c.readOutstanding, c.writeOutstanding,
      c.requestLatencyNs, c.responseLatencyNs, o.issue);
  fmt::print("layer_beats={} (reads {}, writes {}) layer_MB={:.3f} token_GB={:.4f}\n",
             reads + writes, reads, writes, layerBytes / 1e6,
             layerBytes * m.nLayer / 1e9);

  const auto report = [&](const char* name, const Timed& t, int layers) {
    const double ns = double(t.cycles) * cycleNs;
    const double perLayerNs = ns / layers;
    const double gbs = layerBytes / perLayerNs;
    fmt::print(
        "{} layers={} cycles={} cycles_per_layer={:.0f} effective_GBps={:.3f} "
        "memory_bound_tok_per_s={:.3f} wall_s={:.3f} cpu_s={:.3f} segments_per_cpu_s={:.0f}\n",
        name, layers, t.cycles, double(t.cycles) / layers, gbs, 1e9 / (perLayerNs * m.nLayer),
        t.seconds, t.cpuSeconds, double(t.segments) / t.cpuSeconds);
    return double(t.cycles);
  };
  const size_t dl = size_t(std::min(o.detailedLayers, m.nLayer));
  auto detailed = platform::makeStreamPort(c);
  const double d = report("detailed", runStream(*detailed, image, 1, dl, issue), int(dl));

  c.timing = "burst";
  const auto t0 = std::chrono::steady_clock::now();
  platform::BurstStreamPort burst(c);
  const double calibrationS = secondsSince(t0);
  const auto& cal = burst.calibration();
  fmt::print(
      "burst calibration_s={:.3f} read_latency={:.0f} read_cycles_per_beat={:.4f} "
      "write_latency={:.0f} write_cycles_per_beat={:.4f}\n",
      calibrationS, cal.latency[0], cal.cyclesPerBeat[0], cal.latency[1], cal.cyclesPerBeat[1]);
  const double b = report("burst", runStream(burst, image, 1, dl, issue), int(dl));
  fmt::print("burst_vs_detailed_error={:+.3f}%\n", 100.0 * (b - d) / d);
  platform::BurstStreamPort full(c);
  report("burst-full", runStream(full, image, o.tokens, image.size(), issue), o.tokens * m.nLayer);
  return 0;
}

}  // namespace

void addPortBench(CLI::App& app, Runner& runner) {
  auto* cmd = app.add_subcommand(
      "port",
      "Accelerator memory port on a model's layer stream: effective GB/s, detailed vs burst");
  auto o = std::make_shared<Options>();
  cmd->add_option("--platform", o->platform)->capture_default_str();
  cmd->add_option("--model", o->model)->capture_default_str();
  cmd->add_option("--precision", o->precision, "w4a4 or w8a8")->capture_default_str();
  cmd->add_option("--detailed-layers", o->detailedLayers, "layers timed by both models")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--tokens", o->tokens, "tokens of all layers for the burst model's speed")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--axi-ports", o->axiPorts, "override the platform's AXI port count");
  cmd->add_option("--bus-bits", o->busBits,
                  "accelerator bus width (default: AXI ports x width); the memory map's beat");
  cmd->add_option("--outstanding", o->outstanding, "override read and write outstanding bursts");
  cmd->add_option("--latency-ns", o->latencyNs,
                  "override the interconnect round trip (split evenly)");
  cmd->add_option("--issue", o->issue,
                  "ahead (as soon as the port allows), loop (a weight loop waits for the previous "
                  "one's data) or segment (every segment waits)")
      ->capture_default_str();
  cmd->callback([&runner, o]() { runner = [o]() { return run(*o); }; });
}

}  // namespace specmamba::bench
