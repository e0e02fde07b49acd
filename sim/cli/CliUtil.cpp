#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>

#include "models/common/Error.h"
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
  std::vector<int> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t comma = text.find(',', pos);
    const std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || errno == ERANGE || v < 0 || v > 0x7FFFFFFF) {
      throw Error(fmt::format("{}: expected comma-separated non-negative integers, got \"{}\"",
                              option, text));
    }
    out.push_back(int(v));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace specmamba::cli
