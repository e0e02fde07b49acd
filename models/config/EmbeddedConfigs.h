#pragma once
// The JSON files of configs/ compiled into the binary (see cmake/EmbedConfigs.cmake).
#include <string>
#include <vector>

namespace specmamba {

struct EmbeddedConfig {
  const char* path;  // relative to configs/, e.g. "models/mamba2-130m.json"
  const char* text;
};

const std::vector<EmbeddedConfig>& embeddedConfigs();

// Names (file stem) of the embedded configs in one folder ("models", "platforms", ...).
std::vector<std::string> embeddedConfigNames(const std::string& folder);

// Finds `nameOrPath`: an existing file path (anything containing '/' or ending
// in .json) is read from disk; otherwise the name is looked up among the
// embedded configs of `folder`. Returns the parsed JSON and the name used in
// error messages. Unknown names list the valid ones.
struct LocatedConfig {
  std::string origin;  // "configs/models/x.json" (embedded) or the user's path
  std::string text;
};
LocatedConfig locateConfig(const std::string& folder, const std::string& nameOrPath);

}  // namespace specmamba
