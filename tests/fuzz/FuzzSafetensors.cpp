// Safetensors files: header and offsets (open), then every tensor's data
// converted to FP32.
#include "models/common/Error.h"
#include "models/weights/Safetensors.h"
#include "tests/fuzz/FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = specmamba::fuzz::writeInput(data, size, ".safetensors");
  try {
    const auto file = specmamba::SafetensorsFile::open(path);
    for (const auto& [name, info] : file->tensors()) (void)file->readFloat(name, info.shape);
  } catch (const specmamba::Error&) {
  }
  return 0;
}
