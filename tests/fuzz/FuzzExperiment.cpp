// Experiment JSON through the real validating loader (and the model,
// platform, host and speculative blocks it names or holds).
#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "sim/platform/Experiment.h"
#include "tests/fuzz/FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto doc = specmamba::parseJsonText(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
    (void)specmamba::platform::parseExperiment(doc, "fuzz.json");
  } catch (const specmamba::Error&) {
  }
  return 0;
}
