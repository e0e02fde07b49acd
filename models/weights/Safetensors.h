#pragma once
// safetensors files (the Hugging Face format: u64 header length, JSON header
// {name: {dtype, shape, data_offsets}}, raw little-endian data). Reading is
// memory-mapped, so a multi-GB checkpoint costs no copy until a tensor is
// converted; writing goes to a temporary file renamed into place.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace specmamba {

enum class DType { F32, F16, BF16 };

const char* dtypeName(DType t);
size_t dtypeBytes(DType t);
// Parses "F32" / "F16" / "BF16" (also lower case); throws listing the valid ones.
DType parseDType(const std::string& name);

// IEEE binary16 and bfloat16 conversions, round to nearest even.
uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);
uint16_t floatToBf16(float f);
float bf16ToFloat(uint16_t b);

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets into the data section
  uint64_t end = 0;
  int64_t elements() const;
};

class SafetensorsFile {
 public:
  // Maps and validates the whole header; throws CheckpointError naming the
  // file (and tensor) on truncation, bad header, unsupported dtype, or
  // offsets that do not match the shape.
  static std::unique_ptr<SafetensorsFile> open(const std::string& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::string& path() const { return path_; }
  const std::map<std::string, TensorInfo>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const TensorInfo* find(const std::string& name) const;

  // Converts a tensor to FP32, checking its shape; throws naming the tensor
  // when it is missing or shaped otherwise.
  std::vector<float> readFloat(const std::string& name, const std::vector<int64_t>& shape) const;

 private:
  SafetensorsFile() = default;
  std::string path_;
  int fd_ = -1;
  const uint8_t* map_ = nullptr;
  size_t mapSize_ = 0;
  const uint8_t* data_ = nullptr;  // start of the data section
  std::map<std::string, TensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

class SafetensorsWriter {
 public:
  // Stores `values` (FP32) converted to `dtype`.
  void add(const std::string& name, DType dtype, const std::vector<int64_t>& shape,
           const float* values);
  void setMetadata(const std::string& key, const std::string& value) { metadata_[key] = value; }
  // Writes `path` atomically (temporary file, then rename).
  void write(const std::string& path) const;

 private:
  struct Entry {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
    std::vector<uint8_t> bytes;
  };
  std::vector<Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace specmamba
