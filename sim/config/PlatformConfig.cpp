#include "sim/config/PlatformConfig.h"

#include <fmt/format.h>

#include <cmath>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"

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
    m.finish();
    const double computed =
        p.memory.channels * p.memory.channelWidthBits / 8.0 * p.memory.dataRateMtps / 1000.0;
    if (std::fabs(computed - p.memory.peakBandwidthGBs) > 0.01 * computed) {
      m.required("peak_bandwidth_gbs")
          .fail(fmt::format("must equal channels * channel_width_bits / 8 * data_rate_mtps / 1000 "
                            "= {:.1f} GB/s, got {}",
                            computed, p.memory.peakBandwidthGBs));
    }
  }
  p.axiPorts = int(o.integer("axi_ports", 1, 128));
  p.axiWidthBits = int(o.integer("axi_width_bits", 32, 1024));
  if ((p.axiWidthBits & (p.axiWidthBits - 1)) != 0) {
    o.required("axi_width_bits").fail(fmt::format("must be a power of two, got {}", p.axiWidthBits));
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
