#include "models/config/EmbeddedConfigs.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "models/common/Error.h"

namespace specmamba {

std::vector<std::string> embeddedConfigNames(const std::string& folder) {
  std::vector<std::string> names;
  const std::string prefix = folder + "/";
  for (const auto& c : embeddedConfigs()) {
    std::string p = c.path;
    if (p.rfind(prefix, 0) == 0 && p.find('/', prefix.size()) == std::string::npos) {
      names.push_back(p.substr(prefix.size(), p.size() - prefix.size() - 5));  // strip ".json"
    }
  }
  return names;
}

LocatedConfig locateConfig(const std::string& folder, const std::string& nameOrPath) {
  const bool looksLikePath = nameOrPath.find('/') != std::string::npos ||
                             (nameOrPath.size() > 5 &&
                              nameOrPath.compare(nameOrPath.size() - 5, 5, ".json") == 0);
  if (looksLikePath) {
    std::ifstream in(nameOrPath, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("{}: cannot open file", nameOrPath));
    std::ostringstream ss;
    ss << in.rdbuf();
    return {nameOrPath, ss.str()};
  }
  const std::string wanted = folder + "/" + nameOrPath + ".json";
  for (const auto& c : embeddedConfigs()) {
    if (wanted == c.path) return {"configs/" + wanted, c.text};
  }
  // "models" -> "model", "acceptance" stays.
  const std::string kind = folder.back() == 's' ? folder.substr(0, folder.size() - 1) : folder;
  throw ConfigError(fmt::format("unknown {} \"{}\" (known: {}; or give a path to a .json file)",
                                kind, nameOrPath,
                                fmt::join(embeddedConfigNames(folder), ", ")));
}

}  // namespace specmamba
