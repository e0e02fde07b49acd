#include "sim/platform/HostModel.h"

#include <algorithm>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"

namespace specmamba::platform {

double HostModel::secondsPerToken(const ModelConfig& m, bool lmHeadOnHost) const {
  return seconds(m, 1, lmHeadOnHost);
}

double HostModel::secondsForRows(const ModelConfig& m, int rows) const {
  return seconds(m, rows, true);
}

double HostModel::seconds(const ModelConfig& m, int rows, bool lmHeadOnHost) const {
  // Embedding rows (FP32) in, final RMSNorm (3 FLOPs per element).
  double bytes = double(rows) * m.dModel * 4, flops = 3.0 * rows * m.dModel;
  if (lmHeadOnHost) {
    // The LM head weights are read once for all rows; GEMV/GEMM + argmax per row.
    bytes += double(m.vocabSize) * m.dModel * lmHeadBits / 8;
    flops += double(rows) * (2.0 * m.vocabSize * m.dModel + m.vocabSize);
  }
  return std::max(flops / (gflops * 1e9), bytes / (memoryGBs * 1e9)) + overheadUs * 1e-6;
}

HostModel parseHostModel(const nlohmann::json& doc, const std::string& origin) {
  JsonObject o = JsonNode(doc, origin, "").asObject();
  HostModel h;
  h.origin = origin;
  h.name = o.string("name");
  h.cpu = o.string("cpu");
  h.gflops = o.number("gflops", 0.01, 1e6);
  h.memoryGBs = o.number("memory_gbs", 0.01, 1e5);
  h.lmHeadBits = int(o.integer("lm_head_bits", 8, 32, 32));
  if (h.lmHeadBits != 8 && h.lmHeadBits != 16 && h.lmHeadBits != 32) {
    o.required("lm_head_bits").fail("must be 8, 16 or 32");
  }
  h.overheadUs = o.number("overhead_us", 0, 1e6, 0);
  h.source = o.string("source");
  o.finish();
  return h;
}

HostModel loadHostModel(const std::string& nameOrPath) {
  LocatedConfig located = locateConfig("hosts", nameOrPath);
  return parseHostModel(parseJsonText(located.text, located.origin), located.origin);
}

}  // namespace specmamba::platform
