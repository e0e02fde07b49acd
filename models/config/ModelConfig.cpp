#include "models/config/ModelConfig.h"

#include <fmt/format.h>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"

namespace specmamba {

namespace {
bool isPowerOfTwo(int64_t x) { return x > 0 && (x & (x - 1)) == 0; }
}  // namespace

int64_t ModelConfig::layerParameters() const {
  return int64_t(dModel)                         // pre-norm
         + int64_t(inProjOut()) * dModel         // in_proj
         + int64_t(convDim()) * (dConv + 1)      // conv1d weight + bias
         + 3 * int64_t(nHeads)                   // dt_bias, A_log, D
         + int64_t(dInner)                       // gated norm
         + int64_t(dModel) * dInner;             // out_proj
}

int64_t ModelConfig::parameters() const {
  return int64_t(vocabSize) * dModel + int64_t(nLayer) * layerParameters() + dModel;
}

int64_t ModelConfig::weightBytes(int bits) const {
  const int64_t perLayer = int64_t(inProjOut()) * dModel + int64_t(dModel) * dInner;
  return (int64_t(nLayer) * perLayer + int64_t(vocabSize) * dModel) * bits / 8;
}

ModelConfig parseModelConfig(const nlohmann::json& doc, const std::string& origin) {
  JsonObject o = JsonNode(doc, origin, "").asObject();
  ModelConfig c;
  c.origin = origin;
  c.name = o.string("name");
  if (c.name.empty()) o.required("name").fail("must not be empty");
  c.dModel = int(o.integer("d_model", 8, 65536));
  c.nLayer = int(o.integer("n_layer", 1, 1024));
  c.dState = int(o.integer("d_state", 8, 1024));
  c.headdim = int(o.integer("headdim", 8, 1024));
  c.expand = int(o.integer("expand", 1, 8));
  c.ngroups = int(o.integer("ngroups", 1, 64));
  c.dConv = int(o.integer("d_conv", 2, 8));
  c.vocabSize = int(o.integer("vocab_size", 2, 1 << 20));
  c.dInner = int(o.integer("d_inner", 8, 1 << 20));
  c.nHeads = int(o.integer("nheads", 1, 1 << 16));
  c.normEps = o.number("rms_norm_eps", 1e-12, 1e-2, 1e-5);
  c.chunkSize = int(o.integer("chunk_size", 1, 4096, 64));
  o.finish();

  // Consistency: the integer datapath groups by 8 along every axis (SPEC §3).
  if (!isPowerOfTwo(c.dState)) {
    o.required("d_state").fail(fmt::format("must be a power of two, got {}", c.dState));
  }
  if (c.headdim % 8 != 0) {
    o.required("headdim").fail(fmt::format("must be a multiple of 8, got {}", c.headdim));
  }
  if (c.dModel % 8 != 0) {
    o.required("d_model").fail(fmt::format("must be a multiple of 8, got {}", c.dModel));
  }
  if (c.dInner != c.expand * c.dModel) {
    o.required("d_inner").fail(fmt::format("must equal expand * d_model = {} * {} = {}, got {}",
                                           c.expand, c.dModel, c.expand * c.dModel, c.dInner));
  }
  if (c.dInner % c.headdim != 0 || c.nHeads != c.dInner / c.headdim) {
    o.required("nheads").fail(fmt::format("must equal d_inner / headdim = {} / {} = {}, got {}",
                                          c.dInner, c.headdim, c.dInner / c.headdim, c.nHeads));
  }
  if (c.nHeads % 8 != 0) {
    o.required("nheads").fail(
        fmt::format("must be a multiple of 8 (dt and A are quantized in groups of 8 heads), got {}",
                    c.nHeads));
  }
  if (c.ngroups != 1) {
    o.required("ngroups").fail(
        fmt::format("only ngroups = 1 is supported (every SPEC model uses 1), got {}", c.ngroups));
  }
  return c;
}

ModelConfig loadModelConfig(const std::string& nameOrPath) {
  LocatedConfig located = locateConfig("models", nameOrPath);
  return parseModelConfig(parseJsonText(located.text, located.origin), located.origin);
}

}  // namespace specmamba
