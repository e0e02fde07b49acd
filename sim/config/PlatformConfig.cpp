#include "sim/config/PlatformConfig.h"

#include <fmt/format.h>

#include <cmath>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"
#include "sim/memory/DramSpec.h"

namespace specmamba {

PlatformConfig parsePlatformConfig(const nlohmann::json& doc, const std::string& origin) {
  JsonObject o = JsonNode(doc, origin, "").asObject();
  PlatformConfig p;
  p.origin = origin;
  p.name = o.string("name");
  p.board = o.string("board");
  p.device = o.string("device");
  p.accelClockMhz = o.number("accel_clock_mhz", 10, 2000);
  p.clockSource = o.choice("clock_source", {"paper", "release", "ours"});
  {
    JsonObject m = o.required("memory").asObject();
    p.memory.standard = m.choice("standard", {"DDR4-3200", "LPDDR4-4266", "HBM2", "HBM2e"});
    p.memory.channels = int(m.integer("channels", 1, 128));
    p.memory.channelWidthBits = int(m.integer("channel_width_bits", 8, 1024));
    p.memory.dataRateMtps = int(m.integer("data_rate_mtps", 100, 20000));
    p.memory.peakBandwidthGBs = m.number("peak_bandwidth_gbs", 0.1, 10000);
    p.memory.preset = m.string("preset");
    m.finish();
    const double computed =
        p.memory.channels * p.memory.channelWidthBits / 8.0 * p.memory.dataRateMtps / 1000.0;
    if (std::fabs(computed - p.memory.peakBandwidthGBs) > 0.01 * computed) {
      m.required("peak_bandwidth_gbs")
          .fail(fmt::format("must equal channels * channel_width_bits / 8 * data_rate_mtps / 1000 "
                            "= {:.1f} GB/s, got {}",
                            computed, p.memory.peakBandwidthGBs));
    }
    // The summary must describe the timing preset it names.
    dram::DramSpec spec;
    try {
      spec = dram::loadDramSpec(p.memory.preset);
    } catch (const Error& e) {
      m.required("preset").fail(e.what());
    }
    const auto& g = spec.org;
    const auto mismatch = [&](const char* key, const std::string& ours, const std::string& theirs) {
      if (ours != theirs) {
        m.required(key).fail(fmt::format("is {} but memory preset \"{}\" ({}) has {}", ours,
                                         p.memory.preset, spec.origin, theirs));
      }
    };
    const std::string standard = spec.standard == "DDR4" || spec.standard == "LPDDR4"
                                     ? fmt::format("{}-{}", spec.standard, spec.dataRateMtps)
                                     : spec.standard;
    mismatch("standard", p.memory.standard, standard);
    mismatch("channels", std::to_string(p.memory.channels), std::to_string(g.channels));
    mismatch("channel_width_bits", std::to_string(p.memory.channelWidthBits),
             std::to_string(g.channelWidthBits));
    mismatch("data_rate_mtps", std::to_string(p.memory.dataRateMtps),
             std::to_string(spec.dataRateMtps));
  }
  p.axiPorts = int(o.integer("axi_ports", 1, 128));
  p.axiWidthBits = int(o.integer("axi_width_bits", 32, 1024));
  if ((p.axiWidthBits & (p.axiWidthBits - 1)) != 0) {
    o.required("axi_width_bits")
        .fail(fmt::format("must be a power of two, got {}", p.axiWidthBits));
  }
  {
    JsonObject q = o.required("port").asObject();
    p.port.burstBeats = int(q.integer("burst_beats", 1, 256));  // AXI4 INCR bursts: 1..256 beats
    p.port.readOutstanding = int(q.integer("read_outstanding", 1, 1024));
    p.port.writeOutstanding = int(q.integer("write_outstanding", 1, 1024));
    p.port.requestLatencyNs = q.number("request_latency_ns", 0, 10000);
    p.port.responseLatencyNs = q.number("response_latency_ns", 0, 10000);
    p.port.source = q.string("source");
    q.finish();
    if (int64_t(p.port.burstBeats) * p.axiWidthBits / 8 > 4096) {
      q.required("burst_beats")
          .fail(fmt::format("{} beats of {} bits cross a 4 KB boundary (AXI4 forbids it)",
                            p.port.burstBeats, p.axiWidthBits));
    }
  }
  p.notes = o.string("notes", "");
  o.finish();
  return p;
}

PlatformConfig loadPlatformConfig(const std::string& nameOrPath) {
  LocatedConfig located = locateConfig("platforms", nameOrPath);
  return parsePlatformConfig(parseJsonText(located.text, located.origin), located.origin);
}

}  // namespace specmamba
