#pragma once
// "1,2,3" -> {1,2,3}. Shared by every option that takes a list of integers.
#include <optional>
#include <string>
#include <vector>

namespace specmamba {

// nullopt when an item is empty, not an integer, or outside [lo, hi].
std::optional<std::vector<long>> parseIntegerList(const std::string& text, long lo, long hi);

}  // namespace specmamba
