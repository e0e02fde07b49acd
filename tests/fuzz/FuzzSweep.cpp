// Sweep files: validation, the first points' resolution (derived fields,
// constraints, the experiment parser on point 0).
#include <algorithm>

#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "sim/sweep/SweepConfig.h"
#include "tests/fuzz/FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto doc = specmamba::parseJsonText(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
    const auto sweep = specmamba::sweep::parseSweep(doc, "fuzz.json");
    for (int64_t i = 0; i < std::min<int64_t>(sweep.size(), 4); ++i) (void)specmamba::sweep::resolvePoint(sweep, i);
    specmamba::sweep::checkFirstPoint(sweep);
  } catch (const specmamba::Error&) {
  }
  return 0;
}
