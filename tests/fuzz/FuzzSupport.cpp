#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/fuzz/FuzzTargets.h"

namespace specmamba::fuzz {

std::string writeInput(const uint8_t* data, size_t size, const char* suffix) {
  static const std::string dir = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
  const std::string path = dir + "/specmamba-fuzz-" + std::to_string(getpid()) + suffix;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  if (!out.flush()) throw std::runtime_error("fuzz: cannot write " + path);
  return path;
}

}  // namespace specmamba::fuzz
