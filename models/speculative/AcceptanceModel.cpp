#include "models/speculative/AcceptanceModel.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "models/common/AtomicFile.h"
#include "models/common/Error.h"
#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"

namespace specmamba {

AcceptanceProfile loadAcceptanceProfile(const std::string& nameOrPath) {
  const LocatedConfig located = locateConfig("acceptance", nameOrPath);
  const nlohmann::json doc = parseJsonText(located.text, located.origin);
  JsonObject o = JsonNode(doc, located.origin, "").asObject();
  AcceptanceProfile p;
  p.name = o.string("name");
  p.source = o.string("source");
  for (const JsonNode& v : o.required("accept_by_depth").asArray(1, 64)) {
    p.acceptByDepth.push_back(v.asNumber(0.0, 1.0));
  }
  o.finish();
  return p;
}

ProfileAcceptance::ProfileAcceptance(AcceptanceProfile profile, uint64_t seed)
    : profile_(std::move(profile)), rng_(Rng::mix(seed, 0xACCE97)) {}

int ProfileAcceptance::next(int maxDepth) {
  if (maxDepth > int(profile_.acceptByDepth.size())) {
    throw Error(fmt::format("acceptance profile \"{}\" covers depth {}, the tree is {} deep",
                            profile_.name, profile_.acceptByDepth.size(), maxDepth));
  }
  int k = 0;
  while (k < maxDepth && rng_.uniform() < profile_.acceptByDepth[size_t(k)]) ++k;
  return k;
}

std::string ProfileAcceptance::describe() const {
  return fmt::format("profile {} ({})", profile_.name, profile_.source);
}

TraceAcceptance::TraceAcceptance(const std::string& path) : path_(path) {
  const nlohmann::json doc = readJsonFile(path);
  JsonObject o = JsonNode(doc, path, "").asObject();
  o.string("tree");
  for (const JsonNode& v : o.required("accepted").asArray(1, 100000000)) {
    accepted_.push_back(int(v.asInt(0, 1024)));
  }
  o.finish();
}

int TraceAcceptance::next(int maxDepth) {
  if (pos_ >= accepted_.size()) {
    throw Error(fmt::format("{}: trace has {} steps, the run needs more", path_, accepted_.size()));
  }
  const int k = accepted_[pos_];
  if (k > maxDepth) {
    throw Error(fmt::format("{}: /accepted/{}: {} accepted tokens, the tree is {} deep", path_,
                            pos_, k, maxDepth));
  }
  ++pos_;
  return k;
}

std::string TraceAcceptance::describe() const {
  return fmt::format("trace {} ({} steps)", path_, accepted_.size());
}

void writeAcceptanceTrace(const std::string& path, const std::string& tree,
                          const std::vector<int>& accepted) {
  nlohmann::ordered_json doc{{"tree", tree}, {"accepted", accepted}};
  writeFileAtomically(path, doc.dump() + "\n");
}

}  // namespace specmamba
