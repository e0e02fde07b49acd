#include <fmt/format.h>

#include "models/common/Error.h"
#include "models/common/IntList.h"
#include "models/weights/Checkpoint.h"
#include "models/weights/SyntheticWeights.h"
#include "sim/cli/Commands.h"

namespace specmamba::cli {

Mamba2Weights loadOrSynthesize(const ModelConfig& config, const std::string& path, uint64_t seed) {
  if (!path.empty()) return loadCheckpoint(path, config);
  SyntheticOptions synth;
  synth.seed = seed;
  return makeSyntheticWeights(config, synth);
}

std::vector<int> parseIntList(const std::string& text, const std::string& option) {
  const auto values = parseIntegerList(text, 0, 0x7FFFFFFF);
  if (!values) {
    throw Error(fmt::format("{}: expected comma-separated non-negative integers, got \"{}\"",
                            option, text));
  }
  return std::vector<int>(values->begin(), values->end());
}

}  // namespace specmamba::cli
