#include "models/common/AtomicFile.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "models/common/Error.h"

namespace specmamba {

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& body) {
  const std::string tmp = path + ".tmp";
  try {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    body(out);
    if (!out.flush()) throw Error(fmt::format("{}: write failed", path));
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    throw Error(fmt::format("{}: cannot rename into place: {}", path, std::strerror(err)));
  }
}

void writeFileAtomically(const std::string& path, const std::string& content) {
  writeFileAtomically(path, [&](std::ostream& out) { out << content; });
}

}  // namespace specmamba
