#include "sim/memory/DramSpec.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"
#include "sim/memory/AddressMapper.h"
#include "sim/memory/PolicyRegistry.h"

namespace specmamba::dram {

namespace {

constexpr int64_t MAX_CYCLES = 1'000'000;

void requirePowerOfTwo(JsonObject& o, const std::string& key, int64_t value) {
  if (log2Exact(uint64_t(value)) < 0) {
    o.required(key).fail(fmt::format("must be a power of two, got {}", value));
  }
}

DramOrganization parseOrganization(JsonObject o) {
  DramOrganization g;
  g.channels = int(o.integer("channels", 1, 256));
  g.ranks = int(o.integer("ranks", 1, 8));
  g.bankGroups = int(o.integer("bank_groups", 1, 16));
  g.banksPerGroup = int(o.integer("banks_per_group", 1, 64));
  g.rows = o.integer("rows", 1, int64_t(1) << 24);
  g.columns = o.integer("columns", 1, 1 << 16);
  g.channelWidthBits = int(o.integer("channel_width_bits", 8, 1024));
  g.burstLength = int(o.integer("burst_length", 2, 32));
  g.devicesPerRank = int(o.integer("devices_per_rank", 1, 64));
  requirePowerOfTwo(o, "channels", g.channels);
  requirePowerOfTwo(o, "ranks", g.ranks);
  requirePowerOfTwo(o, "bank_groups", g.bankGroups);
  requirePowerOfTwo(o, "banks_per_group", g.banksPerGroup);
  requirePowerOfTwo(o, "rows", g.rows);
  requirePowerOfTwo(o, "columns", g.columns);
  requirePowerOfTwo(o, "channel_width_bits", g.channelWidthBits);
  requirePowerOfTwo(o, "burst_length", g.burstLength);
  if (g.columns < g.burstLength) {
    o.required("columns").fail(
        fmt::format("must be at least burst_length ({}), got {}", g.burstLength, g.columns));
  }
  o.finish();
  return g;
}

DramTiming parseTiming(JsonObject o, const DramOrganization& g, const std::string& refresh) {
  DramTiming t;
  t.tckPs = o.integer("tck_ps", 100, 100000);
  auto c = [&](const char* key, int lo = 1) { return int(o.integer(key, lo, MAX_CYCLES)); };
  t.CL = c("CL");
  t.CWL = c("CWL");
  t.tRCD = c("tRCD");
  t.tRP = c("tRP");
  t.tRAS = c("tRAS");
  t.tRC = c("tRC");
  t.tCCD_S = c("tCCD_S");
  t.tCCD_L = c("tCCD_L");
  t.tRRD_S = c("tRRD_S");
  t.tRRD_L = c("tRRD_L");
  t.tFAW = c("tFAW");
  t.tWTR_S = c("tWTR_S");
  t.tWTR_L = c("tWTR_L");
  t.tRTP = c("tRTP");
  t.tWR = c("tWR");
  t.tRTW = c("tRTW");
  t.tRTRS = int(o.integer("tRTRS", 0, MAX_CYCLES, 1));
  t.tREFI = c("tREFI");
  t.tRFC = c("tRFC");
  t.tRFCpb = int(o.integer("tRFCpb", 0, MAX_CYCLES, 0));
  t.tRREFD = int(o.integer("tRREFD", 0, MAX_CYCLES, 0));
  // Relations JEDEC guarantees; a preset that breaks them is a typo.
  auto atLeast = [&](const char* key, int value, const char* what, int bound) {
    if (value >= bound) return;
    if (!o.has(key))
      o.node().fail(fmt::format("missing {}: must be at least {} ({})", key, what, bound));
    o.required(key).fail(fmt::format("must be at least {} ({}), got {}", what, bound, value));
  };
  atLeast("tRAS", t.tRAS, "tRCD", t.tRCD);
  atLeast("tRC", t.tRC, "tRAS + tRP", t.tRAS + t.tRP);
  atLeast("tCCD_S", t.tCCD_S, "the burst duration burst_length / 2", g.burstCycles());
  atLeast("tCCD_L", t.tCCD_L, "tCCD_S", t.tCCD_S);
  atLeast("tRRD_L", t.tRRD_L, "tRRD_S", t.tRRD_S);
  atLeast("tWTR_L", t.tWTR_L, "tWTR_S", t.tWTR_S);
  atLeast("tFAW", t.tFAW, "tRRD_S", t.tRRD_S);
  atLeast("tRTW", t.tRTW, "the burst duration burst_length / 2", g.burstCycles());
  if (refresh != "none") atLeast("tREFI", t.tREFI, "tRFC + tRC", t.tRFC + t.tRC);
  if (refresh == "per-bank") {
    atLeast("tRFCpb", t.tRFCpb, "tRC (per-bank refresh needs it)", t.tRC);
    atLeast("tRREFD", t.tRREFD, "1 (per-bank refresh needs it)", 1);
    atLeast("tREFI", t.tREFI / g.banksPerRank(), "tRFCpb per bank", t.tRFCpb);
  }
  o.finish();
  return t;
}

PowerRail parseRail(JsonObject o) {
  PowerRail r;
  r.name = o.string("name");
  r.volts = o.number("volts", 0.1, 5.0);
  auto ma = [&](const char* key) { return o.number(key, 0.0, 10000.0); };
  r.idd0 = ma("idd0");
  r.idd2n = ma("idd2n");
  r.idd3n = ma("idd3n");
  r.idd4r = ma("idd4r");
  r.idd4w = ma("idd4w");
  r.idd5 = ma("idd5");
  auto atLeast = [&](const char* key, double value, const char* what, double bound) {
    if (value < bound) {
      o.required(key).fail(
          fmt::format("must be at least {} ({} mA), got {} mA", what, bound, value));
    }
  };
  atLeast("idd3n", r.idd3n, "idd2n", r.idd2n);
  atLeast("idd0", r.idd0, "idd3n", r.idd3n);
  atLeast("idd4r", r.idd4r, "idd3n", r.idd3n);
  atLeast("idd4w", r.idd4w, "idd3n", r.idd3n);
  atLeast("idd5", r.idd5, "idd3n", r.idd3n);
  o.finish();
  return r;
}

DramPower parsePower(JsonObject o) {
  DramPower p;
  for (const auto& rail : o.required("rails").asArray(1, 8))
    p.rails.push_back(parseRail(rail.asObject()));
  p.ioPjPerBit = o.number("io_pj_per_bit", 0.0, 100.0, 0.0);
  p.source = o.string("source");
  o.finish();
  return p;
}

ControllerConfig parseController(JsonObject o, const DramOrganization& g) {
  ControllerConfig c;
  c.mapping = o.string("mapping");
  try {
    AddressMapper(c.mapping, g);
  } catch (const Error& e) {
    o.required("mapping").fail(e.what());
  }
  c.scheduler = o.choice("scheduler", schedulerNames(), "fr-fcfs");
  c.pagePolicy = o.choice("page_policy", pagePolicyNames(), "open");
  c.refreshPolicy = o.choice("refresh_policy", refreshPolicyNames());
  c.readQueue = int(o.integer("read_queue", 1, 4096, 32));
  c.writeQueue = int(o.integer("write_queue", 1, 4096, 32));
  c.writeHighWatermark =
      int(o.integer("write_high_watermark", 1, c.writeQueue, c.writeQueue * 3 / 4));
  c.writeLowWatermark =
      int(o.integer("write_low_watermark", 0, c.writeHighWatermark - 1, c.writeQueue / 4));
  c.frontendLatency = int(o.integer("frontend_latency", 0, 1000, 0));
  c.queueStructure = o.choice("queue_structure", {"per-channel", "per-bank"}, "per-channel");
  if (c.queueStructure == "per-bank") {
    c.bankQueue = int(o.integer("bank_queue", 1, 4096));
  } else if (o.has("bank_queue")) {
    o.required("bank_queue").fail("applies only to \"queue_structure\": \"per-bank\"");
  }
  o.finish();
  return c;
}

}  // namespace

DramSpec parseDramSpec(const nlohmann::json& doc, const std::string& origin) {
  JsonObject o = JsonNode(doc, origin, "").asObject();
  DramSpec s;
  s.origin = origin;
  s.name = o.string("name");
  s.standard = o.choice("standard", {"DDR4", "LPDDR4", "HBM2", "HBM2e"});
  s.description = o.string("description", "");
  s.dataRateMtps = int(o.integer("data_rate_mtps", 100, 20000));
  s.org = parseOrganization(o.required("organization").asObject());
  // The controller block is read before the timing: the refresh policy decides
  // which refresh timings must be present.
  s.controller = parseController(o.required("controller").asObject(), s.org);
  s.timing = parseTiming(o.required("timing").asObject(), s.org, s.controller.refreshPolicy);
  s.power = parsePower(o.required("power").asObject());
  o.finish();
  const double fromClock = 2.0e6 / double(s.timing.tckPs);  // DDR: two transfers per tCK
  if (std::fabs(fromClock - s.dataRateMtps) > 0.01 * s.dataRateMtps) {
    o.required("data_rate_mtps")
        .fail(fmt::format("must equal 2 / tck_ps = {:.0f} MT/s (timing/tck_ps = {}), got {}",
                          fromClock, s.timing.tckPs, s.dataRateMtps));
  }
  return s;
}

DramSpec loadDramSpec(const std::string& nameOrPath) {
  LocatedConfig located = locateConfig("memory", nameOrPath);
  return parseDramSpec(parseJsonText(located.text, located.origin), located.origin);
}

}  // namespace specmamba::dram
