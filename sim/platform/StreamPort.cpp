#include "sim/platform/StreamPort.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "models/common/Error.h"
#include "sim/platform/BurstStreamPort.h"
#include "sim/platform/DetailedStreamPort.h"

namespace specmamba::platform {

const char* categoryName(StreamCategory c) {
  switch (c) {
    case StreamCategory::Weights:
      return "weights";
    case StreamCategory::Scales:
      return "scales";
    case StreamCategory::SsmState:
      return "ssm_state";
    case StreamCategory::ConvState:
      return "conv_state";
    case StreamCategory::ConvWeights:
      return "conv_weights";
    case StreamCategory::Activations:
      return "activations";
    case StreamCategory::Params:
      return "params";
  }
  return "?";
}

namespace {

void validate(const StreamPortConfig& c) {
  const auto fail = [](const std::string& what) { throw Error("stream port: " + what); };
  if (c.busBits < 8 || (c.busBits & (c.busBits - 1)) != 0)
    fail(fmt::format("bus width {} bits is not a power of two >= 8", c.busBits));
  if (c.axiPorts < 1) fail(fmt::format("axiPorts {} < 1", c.axiPorts));
  if (c.burstBeats < 1 || c.burstBeats * c.busBits / 8 > 4096)
    fail(fmt::format("burst of {} beats of {} bits: must be 1 beat .. 4 KB", c.burstBeats,
                     c.busBits));
  if (c.readOutstanding < 1 || c.writeOutstanding < 1)
    fail(fmt::format("outstanding bursts must be >= 1 (read {}, write {})", c.readOutstanding,
                     c.writeOutstanding));
  if (c.requestLatencyNs < 0 || c.responseLatencyNs < 0) fail("negative interconnect latency");
  if (c.axiPorts > 1 && c.memory.org.burstBytes() > c.busBits / 8) {
    fail(
        fmt::format("striping beats across {} ports needs DRAM bursts ({} B) no larger than a beat "
                    "({} B)",
                    c.axiPorts, c.memory.org.burstBytes(), c.busBits / 8));
  }
}

// The registry of implementations (STYLE.md 4).
using Factory = std::unique_ptr<StreamPort> (*)(const StreamPortConfig&);
const std::vector<std::pair<std::string, Factory>>& registry() {
  static const std::vector<std::pair<std::string, Factory>> r = {
      {"burst",
       [](const StreamPortConfig& c) -> std::unique_ptr<StreamPort> {
         return std::make_unique<BurstStreamPort>(c);
       }},
      {"detailed", [](const StreamPortConfig& c) -> std::unique_ptr<StreamPort> {
         return std::make_unique<DetailedStreamPort>(c);
       }}};
  return r;
}

}  // namespace

std::unique_ptr<StreamPort> makeStreamPort(const StreamPortConfig& config) {
  validate(config);
  std::string names;
  for (const auto& [name, make] : registry()) {
    if (name == config.timing) return make(config);
    names += (names.empty() ? "" : ", ") + name;
  }
  throw Error(fmt::format("unknown stream port timing \"{}\" (valid: {})", config.timing, names));
}

StreamPortConfig streamPortConfig(const PlatformConfig& platform, const std::string& timing) {
  StreamPortConfig c;
  c.memory = dram::loadDramSpec(platform.memory.preset);
  c.accelClockMhz = platform.accelClockMhz;
  c.busBits = platform.axiWidthBits;
  c.axiPorts = platform.axiPorts;
  c.burstBeats = platform.port.burstBeats;
  c.readOutstanding = platform.port.readOutstanding;
  c.writeOutstanding = platform.port.writeOutstanding;
  c.requestLatencyNs = platform.port.requestLatencyNs;
  c.responseLatencyNs = platform.port.responseLatencyNs;
  c.timing = timing;
  return c;
}

}  // namespace specmamba::platform
