// Model, platform, host, DRAM-preset and GPU-baseline JSON, chosen by the first byte.
#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "models/config/ModelConfig.h"
#include "sim/baseline/GpuBaseline.h"
#include "sim/config/PlatformConfig.h"
#include "sim/memory/DramSpec.h"
#include "sim/platform/HostModel.h"
#include "tests/fuzz/FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  try {
    const auto doc =
        specmamba::parseJsonText(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), "fuzz.json");
    switch (data[0] % 5) {
      case 0: (void)specmamba::parseModelConfig(doc, "fuzz.json"); break;
      case 1: (void)specmamba::parsePlatformConfig(doc, "fuzz.json"); break;
      case 2: (void)specmamba::platform::parseHostModel(doc, "fuzz.json"); break;
      case 3: (void)specmamba::dram::parseDramSpec(doc, "fuzz.json"); break;
      default: (void)specmamba::baseline::parseGpuSpec(doc, "fuzz.json"); break;
    }
  } catch (const specmamba::Error&) {
  }
  return 0;
}
