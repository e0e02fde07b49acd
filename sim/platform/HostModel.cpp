#include "sim/platform/HostModel.h"

#include <algorithm>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"

namespace specmamba::platform {

double HostModel::secondsPerToken(const ModelConfig& m, bool lmHeadOnHost) const {
  // Embedding row (FP32) in, final RMSNorm (3 FLOPs per element).
  double bytes = double(m.dModel) * 4, flops = 3.0 * m.dModel;
  if (lmHeadOnHost) {
    bytes += double(m.vocabSize) * m.dModel * lmHeadBits / 8;
    flops += 2.0 * m.vocabSize * m.dModel + m.vocabSize;  // GEMV + argmax
  }
  return std::max(flops / (gflops * 1e9), bytes / (memoryGBs * 1e9)) + overheadUs * 1e-6;
}

double HostModel::secondsForRows(const ModelConfig& m, int rows) const {
  const double bytes =
      double(rows) * m.dModel * 4 + double(m.vocabSize) * m.dModel * lmHeadBits / 8;
  const double flops = double(rows) * (3.0 * m.dModel + 2.0 * m.vocabSize * m.dModel + m.vocabSize);
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
