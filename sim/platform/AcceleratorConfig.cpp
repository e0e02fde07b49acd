#include "sim/platform/AcceleratorConfig.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <optional>

#include "sim/platform/MemoryMap.h"
#include "sim/platform/units/UnitRegistry.h"

namespace specmamba::platform {

namespace {

bool powerOfTwo(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

const char* unitName(UnitKind u) {
  switch (u) {
    case UnitKind::Mmu:
      return "mmu";
    case UnitKind::Ssmu:
      return "ssmu";
    case UnitKind::Conv:
      return "conv";
    case UnitKind::Norm:
      return "norm";
    case UnitKind::Htu:
      return "htu";
    case UnitKind::Quant:
      return "quant";
    case UnitKind::Residual:
      return "residual";
    case UnitKind::kCount:
      break;
  }
  return "?";
}

int64_t ssmBufferNeed(const ModelConfig& m, const AcceleratorConfig& a) {
  const int64_t elements = int64_t(m.dState) * m.dInner;
  const int64_t state = elements + ceilDiv(elements / 8, 2);
  // int32 intermediates dA·h, dB·x and h before re-quantization: a PP x PP
  // tile each when fused, the whole layer when not [ours].
  const int64_t intermediates = 3 * 4 * (a.tiling ? int64_t(a.pp) * a.pp : elements);
  return state + intermediates;
}

AcceleratorConfig parseAcceleratorConfig(JsonObject o, const ModelConfig& m, double clockDefault,
                                         int axiBitsMax) {
  AcceleratorConfig a;
  a.tp = int(o.integer("tp", 1, 256, 1));
  a.cop = int(o.integer("cop", 1, 4096, 8));
  a.cip = int(o.integer("cip", 8, 4096, 8));
  a.pp = int(o.integer("pp", 1, 4096, 8));
  a.busBits = int(o.integer("bus_bits", 32, 65536, 256));
  a.clockMhz = o.number("clock_mhz", 10, 2000, clockDefault);
  a.precision = parsePrecision(o.choice("precision", {"w4a4", "w8a8"}, "w4a4"));
  a.reordering = o.boolean("reordering", true);
  a.tiling = o.boolean("tiling", true);
  a.lmHead = o.choice("lm_head", {"host", "accelerator"}, "host") == "host"
                 ? LmHeadPlacement::Host
                 : LmHeadPlacement::Accelerator;
  const std::optional<JsonNode> buffers = o.optional("buffers");
  if (buffers) {
    JsonObject bo = buffers->asObject();
    a.weightBufferBytes = bo.integer("weight_kib", 1, 1 << 20, a.weightBufferBytes >> 10) << 10;
    a.stateBufferBytes = bo.integer("state_kib", 1, 1 << 22, a.stateBufferBytes >> 10) << 10;
    a.activationBufferBytes =
        bo.integer("activation_kib", 1, 1 << 20, a.activationBufferBytes >> 10) << 10;
    bo.finish();
  }
  if (auto p = o.optional("port")) {
    JsonObject po = p->asObject();
    a.portTiming = po.choice("timing", {"burst", "detailed"}, "burst");
    a.portOutstanding = int(po.integer("outstanding", 0, 4096, 0));
    a.portIssue = po.choice("issue", {"ahead", "loop"}, "ahead");
    po.finish();
  }
  for (int u = 0; u < int(UnitKind::kCount); ++u) a.units[UnitKind(u)] = "fast";
  if (auto units = o.optional("units")) {
    if (units->raw().is_string()) {
      const std::string all = units->asEnum({"fast", "rtl"});
      for (auto& [unit, impl] : a.units) impl = all;
    } else {
      JsonObject uo = units->asObject();
      for (auto& [unit, impl] : a.units) impl = uo.choice(unitName(unit), {"fast", "rtl"}, "fast");
      uo.finish();
    }
    for (const auto& [unit, impl] : a.units) {
      const auto built = unitImplementations(unit);
      if (std::find(built.begin(), built.end(), impl) == built.end()) {
        units->fail(fmt::format("{}: {}", unitName(unit), missingImplementation(unit, impl)));
      }
    }
  }

  o.finish();

  // Impossible combinations.
  // At the first of `keys` the experiment gives, else at the accelerator object.
  const auto failAt = [&o](std::initializer_list<const char*> keys, const std::string& why) {
    for (const char* k : keys) {
      if (o.has(k)) o.required(k).fail(why);
    }
    o.node().fail(fmt::format("{} (default): {}", *keys.begin(), why));
  };
  const auto fail = [&](const char* key, const std::string& why) { failAt({key}, why); };
  const auto bufferFail = [&](const char* key, const std::string& why) {
    if (buffers && buffers->raw().contains(key)) buffers->child(key).fail(why);
    o.node().fail(fmt::format("buffers.{} (default): {}", key, why));
  };
  if (!powerOfTwo(a.busBits) || a.busBits > axiBitsMax) {
    fail(
        "bus_bits",
        fmt::format("must be a power of two in [32, {}] (the platform's AXI ports x width), got {}",
                    axiBitsMax, a.busBits));
  }
  if (!powerOfTwo(a.pp) || m.headdim % a.pp != 0) {
    fail("pp", fmt::format("must be a power of two dividing headdim {} of {}, got {}", m.headdim,
                           m.name, a.pp));
  }
  if (a.cip % 8 != 0 || m.dModel % a.cip != 0 || m.dInner % a.cip != 0) {
    fail("cip",
         fmt::format(
             "must be a multiple of 8 (the activation group) dividing d_model {} and d_inner {} "
             "of {}, got {}",
             m.dModel, m.dInner, m.name, a.cip));
  }
  const int64_t mmuBits = int64_t(a.cop) * a.cip * a.weightBits();
  if (mmuBits % a.busBits != 0 && a.busBits % mmuBits != 0) {
    failAt({"bus_bits", "cop", "cip", "precision"},
           fmt::format("a beat must hold whole MMU cycles or an MMU cycle whole beats: "
                       "COP x CIP x {} bits = {} and bus_bits {} are not multiples of one another",
                       a.weightBits(), mmuBits, a.busBits));
  }
  const int64_t bus = a.busBits / 8;
  const int cols = std::max(m.dModel, m.dInner);
  const int64_t tileBeats = ceilDiv(int64_t(a.cop) * cols * a.weightBits() / 8, bus);
  const int64_t loopBeats = weightLoopBeats(bus);
  const int64_t loopScaleBeats =
      ceilDiv(loopBeats * a.busBits / a.weightBits() / std::min(128, m.dModel) * 6, a.busBits) + 1;
  const int64_t weightNeed = (tileBeats + loopBeats + loopScaleBeats) * bus;
  if (a.weightBufferBytes < weightNeed) {
    bufferFail("weight_kib", fmt::format("{} KiB cannot hold one MMU tile ({} beats) plus one "
                                         "scale/weight loop ({} beats): need >= {} KiB",
                                         a.weightBufferBytes >> 10, tileBeats,
                                         loopBeats + loopScaleBeats, ceilDiv(weightNeed, 1024)));
  }
  const int64_t stateNeed = ssmBufferNeed(m, a);
  if (a.stateBufferBytes < stateNeed) {
    bufferFail(
        "state_kib",
        fmt::format(
            "{} KiB cannot hold the SSM state and {} intermediates of one {} layer: need >= {} KiB",
            a.stateBufferBytes >> 10, a.tiling ? "tiled" : "untiled (tiling off)", m.name,
            ceilDiv(stateNeed, 1024)));
  }
  const int64_t activationNeed = int64_t(a.tp) * m.inProjOut() * 4;
  if (a.activationBufferBytes < activationNeed) {
    const std::string why = fmt::format(
        "TP = {} tokens of in_proj output ({} int32 each) need {} KiB of activation buffer, "
        "have {} KiB",
        a.tp, m.inProjOut(), ceilDiv(activationNeed, 1024), a.activationBufferBytes >> 10);
    if (o.has("tp")) fail("tp", why);
    bufferFail("activation_kib", why);
  }
  return a;
}

}  // namespace specmamba::platform
