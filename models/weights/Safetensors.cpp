#include "models/weights/Safetensors.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "models/common/AtomicFile.h"
#include "models/common/Error.h"

namespace specmamba {

namespace {
// A header larger than this is not a checkpoint (safetensors caps it at 100 MB).
constexpr uint64_t kMaxHeaderBytes = 100ull << 20;
}  // namespace

const char* dtypeName(DType t) {
  switch (t) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
  }
  return "?";
}

size_t dtypeBytes(DType t) { return t == DType::F32 ? 4 : 2; }

DType parseDType(const std::string& name) {
  if (name == "F32" || name == "f32") return DType::F32;
  if (name == "F16" || name == "f16") return DType::F16;
  if (name == "BF16" || name == "bf16") return DType::BF16;
  throw Error(fmt::format("unsupported dtype \"{}\" (supported: F32, F16, BF16)", name));
}

// IEEE binary16 conversions in integer arithmetic (round to nearest even),
// the same on every compiler (clang 14 has no _Float16 on x86-64);
// tests/models/CheckpointTest.cpp checks them against g++'s _Float16 on
// every half value and a sweep of floats.
uint16_t floatToHalf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  const uint16_t sign = uint16_t((u >> 16) & 0x8000u);
  const uint32_t absu = u & 0x7FFFFFFFu;
  if (absu >= 0x7F800000u) {  // inf or NaN (NaN stays a quiet NaN)
    return uint16_t(sign | 0x7C00u | (absu > 0x7F800000u ? 0x0200u | ((absu >> 13) & 0x03FFu) : 0u));
  }
  const int exp = int(absu >> 23) - 127;  // unbiased
  if (exp > 15) return uint16_t(sign | 0x7C00u);  // overflow: +-inf
  uint32_t mant = (absu & 0x007FFFFFu) | 0x00800000u;  // 24 bits with the implicit 1
  int shift;                                          // bits dropped from `mant`
  uint32_t biased;
  if (exp >= -14) {  // normal half
    shift = 13;
    biased = uint32_t(exp + 15);
  } else {  // subnormal half (or zero)
    if (absu == 0 || exp < -25) return sign;
    shift = 13 + (-14 - exp);
    biased = 0;
  }
  uint32_t half = mant >> shift;
  const uint32_t rest = mant & ((1u << shift) - 1u), halfway = 1u << (shift - 1);
  if (rest > halfway || (rest == halfway && (half & 1u))) ++half;  // may carry into the exponent
  if (biased == 0) return uint16_t(sign | half);    // subnormal; a carry makes it the smallest normal
  const uint32_t bits = (biased << 10) + (half - 0x0400u);  // drop the implicit 1, keep the carry
  return uint16_t(sign | (bits >= 0x7C00u ? 0x7C00u : bits));
}

float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1Fu, mant = h & 0x03FFu;
  uint32_t u;
  if (exp == 0x1F) {
    u = sign | 0x7F800000u | (mant << 13);  // inf / NaN
  } else if (exp != 0) {
    u = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    u = sign;
  } else {  // subnormal: normalize
    int e = -1;
    uint32_t m = mant;
    do {
      ++e;
      m <<= 1;
    } while (!(m & 0x0400u));
    u = sign | (uint32_t(112 - e) << 23) | ((m & 0x03FFu) << 13);
  }
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

uint16_t floatToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7F800000u) == 0x7F800000u && (u & 0x007FFFFFu)) {
    return uint16_t((u >> 16) | 0x0040u);  // NaN stays a (quiet) NaN
  }
  const uint32_t roundingBias = 0x7FFFu + ((u >> 16) & 1u);  // ties to even
  return uint16_t((u + roundingBias) >> 16);
}

float bf16ToFloat(uint16_t b) {
  const uint32_t u = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

int64_t TensorInfo::elements() const {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::unique_ptr<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
  auto fail = [&](const std::string& what) -> CheckpointError {
    return CheckpointError(fmt::format("{}: {}", path, what));
  };
  std::unique_ptr<SafetensorsFile> f(new SafetensorsFile());
  f->path_ = path;
  f->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f->fd_ < 0) throw fail(fmt::format("cannot open: {}", std::strerror(errno)));
  struct stat st {};
  if (fstat(f->fd_, &st) != 0) throw fail(fmt::format("cannot stat: {}", std::strerror(errno)));
  f->mapSize_ = size_t(st.st_size);
  if (f->mapSize_ < 8) {
    throw fail(fmt::format("truncated: {} bytes, a safetensors file starts with an 8-byte header "
                           "length",
                           f->mapSize_));
  }
  void* m = mmap(nullptr, f->mapSize_, PROT_READ, MAP_PRIVATE, f->fd_, 0);
  if (m == MAP_FAILED) throw fail(fmt::format("cannot mmap: {}", std::strerror(errno)));
  f->map_ = static_cast<const uint8_t*>(m);

  uint64_t headerLen = 0;
  for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | f->map_[i];
  if (headerLen > kMaxHeaderBytes || headerLen > f->mapSize_ - 8) {
    throw fail(fmt::format("bad header: declares {} header bytes but the file has {} after the "
                           "length field (truncated or not a safetensors file)",
                           headerLen, f->mapSize_ - 8));
  }
  const char* hdr = reinterpret_cast<const char*>(f->map_ + 8);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(hdr, hdr + headerLen);
  } catch (const nlohmann::json::exception& e) {  // syntax, or a number beyond double (found by fuzz_safetensors)
    throw fail(fmt::format("bad header: not valid JSON ({})", e.what()));
  }
  if (!doc.is_object()) throw fail("bad header: the JSON header must be an object");
  f->data_ = f->map_ + 8 + headerLen;
  const uint64_t dataSize = f->mapSize_ - 8 - headerLen;

  for (const auto& item : doc.items()) {
    const std::string& name = item.key();
    const auto& v = item.value();
    if (name == "__metadata__") {
      if (!v.is_object()) throw fail("bad header: __metadata__ must be an object of strings");
      for (const auto& m2 : v.items()) {
        if (!m2.value().is_string()) {
          throw fail(fmt::format("bad header: __metadata__/{} must be a string", m2.key()));
        }
        f->metadata_[m2.key()] = m2.value().get<std::string>();
      }
      continue;
    }
    auto bad = [&](const std::string& what) {
      return fail(fmt::format("tensor {}: {}", name, what));
    };
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") ||
        !v.contains("data_offsets")) {
      throw bad("header entry must be an object with dtype, shape and data_offsets");
    }
    TensorInfo t;
    t.name = name;
    if (!v["dtype"].is_string()) throw bad("dtype must be a string");
    try {
      t.dtype = parseDType(v["dtype"].get<std::string>());
    } catch (const Error& e) {
      throw bad(e.what());
    }
    if (!v["shape"].is_array()) throw bad("shape must be an array");
    // Dimensions whose product (in bytes) cannot overflow; whether it matches
    // the data is checked below with the offsets.
    const uint64_t maxElements = (uint64_t(1) << 62) / dtypeBytes(t.dtype);
    uint64_t product = 1;
    for (const auto& d : v["shape"]) {
      if (!d.is_number_unsigned()) throw bad(fmt::format("bad shape {}", v["shape"].dump()));
      const uint64_t n = d.get<uint64_t>();
      if (n > maxElements || (n != 0 && product > maxElements / n)) {
        throw bad(fmt::format("shape {} has more elements than any file can hold", v["shape"].dump()));
      }
      product *= n;
      t.shape.push_back(int64_t(n));
    }
    const auto& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() ||
        !off[1].is_number_unsigned()) {
      throw bad("data_offsets must be [begin, end]");
    }
    t.begin = off[0].get<uint64_t>();
    t.end = off[1].get<uint64_t>();
    if (t.begin > t.end || t.end > dataSize) {
      throw bad(fmt::format("data_offsets [{}, {}] outside the {}-byte data section (truncated "
                            "file?)",
                            t.begin, t.end, dataSize));
    }
    if (uint64_t(t.elements()) * dtypeBytes(t.dtype) != t.end - t.begin) {
      throw bad(fmt::format("shape {} of {} needs {} bytes but data_offsets span {}",
                            v["shape"].dump(), dtypeName(t.dtype),
                            uint64_t(t.elements()) * dtypeBytes(t.dtype), t.end - t.begin));
    }
    f->tensors_.emplace(name, std::move(t));
  }
  return f;
}

SafetensorsFile::~SafetensorsFile() {
  if (map_) munmap(const_cast<uint8_t*>(map_), mapSize_);
  if (fd_ >= 0) ::close(fd_);
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

std::vector<float> SafetensorsFile::readFloat(const std::string& name,
                                              const std::vector<int64_t>& shape) const {
  const TensorInfo* t = find(name);
  if (!t) throw CheckpointError(fmt::format("{}: missing tensor {}", path_, name));
  if (t->shape != shape) {
    throw CheckpointError(fmt::format("{}: tensor {} has shape [{}], expected [{}]", path_, name,
                                      fmt::join(t->shape, ", "), fmt::join(shape, ", ")));
  }
  const size_t n = size_t(t->elements());
  std::vector<float> out(n);
  const uint8_t* src = data_ + t->begin;
  switch (t->dtype) {
    case DType::F32:
      if (n > 0) std::memcpy(out.data(), src, n * 4);  // an empty vector's data() may be null (UBSan, fuzz_safetensors)
      break;
    case DType::F16:
      for (size_t i = 0; i < n; ++i) out[i] = halfToFloat(uint16_t(src[2 * i] | src[2 * i + 1] << 8));
      break;
    case DType::BF16:
      for (size_t i = 0; i < n; ++i) out[i] = bf16ToFloat(uint16_t(src[2 * i] | src[2 * i + 1] << 8));
      break;
  }
  return out;
}

void SafetensorsWriter::add(const std::string& name, DType dtype, const std::vector<int64_t>& shape,
                            const float* values) {
  Entry e{name, dtype, shape, {}};
  int64_t n = 1;
  for (auto d : shape) n *= d;
  e.bytes.resize(size_t(n) * dtypeBytes(dtype));
  for (int64_t i = 0; i < n; ++i) {
    if (dtype == DType::F32) {
      std::memcpy(e.bytes.data() + 4 * i, values + i, 4);
    } else {
      const uint16_t b = dtype == DType::F16 ? floatToHalf(values[i]) : floatToBf16(values[i]);
      e.bytes[size_t(2 * i)] = uint8_t(b & 0xFF);
      e.bytes[size_t(2 * i + 1)] = uint8_t(b >> 8);
    }
  }
  entries_.push_back(std::move(e));
}

void SafetensorsWriter::write(const std::string& path) const {
  nlohmann::ordered_json header;
  if (!metadata_.empty()) header["__metadata__"] = metadata_;
  uint64_t offset = 0;
  for (const auto& e : entries_) {
    header[e.name] = {{"dtype", dtypeName(e.dtype)},
                      {"shape", e.shape},
                      {"data_offsets", {offset, offset + e.bytes.size()}}};
    offset += e.bytes.size();
  }
  std::string text = header.dump();
  while ((text.size() + 8) % 8 != 0) text += ' ';  // align the data section to 8 bytes
  writeFileAtomically(path, [&](std::ostream& out) {
    uint8_t len[8];
    for (int i = 0; i < 8; ++i) len[i] = uint8_t(uint64_t(text.size()) >> (8 * i));
    out.write(reinterpret_cast<const char*>(len), 8);
    out.write(text.data(), std::streamsize(text.size()));
    for (const auto& e : entries_) {
      out.write(reinterpret_cast<const char*>(e.bytes.data()), std::streamsize(e.bytes.size()));
    }
  });
}

}  // namespace specmamba
