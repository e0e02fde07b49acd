#include "models/common/IntList.h"

#include <cerrno>
#include <cstdlib>

namespace specmamba {

std::optional<std::vector<long>> parseIntegerList(const std::string& text, long lo, long hi) {
  std::vector<long> out;
  size_t pos = 0;
  while (true) {
    const size_t comma = text.find(',', pos);
    const std::string item =
        text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi) return std::nullopt;
    out.push_back(v);
    if (comma == std::string::npos) return out;
    pos = comma + 1;
  }
}

}  // namespace specmamba
