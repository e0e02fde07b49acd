#include <fmt/format.h>

#include "models/common/Error.h"
#include "models/common/IntList.h"
#include "sim/cli/Commands.h"

namespace specmamba::cli {

std::vector<int> parseIntList(const std::string& text, const std::string& option) {
  const auto values = parseIntegerList(text, 0, 0x7FFFFFFF);
  if (!values) {
    throw Error(fmt::format("{}: expected comma-separated non-negative integers, got \"{}\"",
                            option, text));
  }
  return std::vector<int>(values->begin(), values->end());
}

}  // namespace specmamba::cli
