#pragma once
// Helpers shared by the memory tests: the shipped presets and edited copies.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/common/JsonReader.h"
#include "models/config/EmbeddedConfigs.h"
#include "sim/memory/DramSpec.h"

namespace specmamba::test {

inline std::vector<std::string> memoryPresets() { return embeddedConfigNames("memory"); }

inline nlohmann::json presetJson(const std::string& name) {
  const LocatedConfig c = locateConfig("memory", name);
  return parseJsonText(c.text, c.origin);
}

// The preset after `edit` changed its JSON (validated like a user's file).
inline dram::DramSpec presetWith(const std::string& name,
                                 const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = presetJson(name);
  edit(j);
  return dram::parseDramSpec(j, name + " (edited)");
}

}  // namespace specmamba::test
