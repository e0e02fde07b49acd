// safetensors I/O and Mamba2 checkpoints: round trips, dtype conversion
// rounding, and every malformed-file error names what is wrong.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "models/common/Error.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/weights/Checkpoint.h"
#include "models/weights/Safetensors.h"
#include "models/weights/SyntheticWeights.h"
#include "tests/common/TestSupport.h"

using namespace specmamba;
using specmamba::test::TempDir;
using specmamba::test::writeText;

namespace {

// A raw safetensors file from a header string and data bytes.
void writeRaw(const std::string& path, const std::string& header, size_t dataBytes,
              uint64_t declaredLen = UINT64_MAX) {
  std::ofstream out(path, std::ios::binary);
  const uint64_t len = declaredLen == UINT64_MAX ? header.size() : declaredLen;
  for (int i = 0; i < 8; ++i) out.put(char((len >> (8 * i)) & 0xFF));
  out << header;
  out << std::string(dataBytes, '\0');
}

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const CheckpointError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<int> greedy(const Mamba2Weights& w, int n) {
  const Mamba2Fp32 m(w);
  Mamba2State s = m.initialState();
  return m.generateGreedy({1, 2, 3}, n, s);
}

}  // namespace

TEST_CASE("F16 conversion rounds to nearest even and handles specials", "[safetensors]") {
  CHECK(floatToHalf(1.0f) == 0x3C00);
  CHECK(halfToFloat(0x3C00) == 1.0f);
  // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties to even (1.0).
  CHECK(floatToHalf(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);
  // 1 + 3*2^-11 is halfway between 1+2^-10 (odd) and 1+2^-9 (even): rounds up.
  CHECK(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3C02);
  CHECK(floatToHalf(65504.0f) == 0x7BFF);
  CHECK(floatToHalf(1e6f) == 0x7C00);  // overflow -> +inf
  CHECK(floatToHalf(-0.0f) == 0x8000);
  CHECK(halfToFloat(0x0001) == std::ldexp(1.0f, -24));  // smallest subnormal
  CHECK(std::isnan(halfToFloat(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
}

#if defined(__FLT16_MAX__)
TEST_CASE("F16 conversion equals the compiler's _Float16 on every half and a sweep of floats", "[safetensors]") {
  for (uint32_t h = 0; h < 0x10000u; ++h) {
    _Float16 x;
    const uint16_t bits = uint16_t(h);
    std::memcpy(&x, &bits, 2);
    const float want = static_cast<float>(x), got = halfToFloat(bits);
    INFO("half 0x" << std::hex << h);
    if (std::isnan(want)) {
      CHECK(std::isnan(got));
    } else {
      CHECK(std::memcmp(&want, &got, 4) == 0);
    }
  }
  // Every float exponent with mantissas around the rounding points, and a stride over all bit patterns.
  std::vector<uint32_t> patterns;
  for (uint32_t e = 0; e < 256; ++e)
    for (uint32_t m : {0u, 1u, 0xFFFu, 0x1000u, 0x1001u, 0x2000u, 0x3000u, 0x5FFFu, 0x7FFFFFu, 0x400000u, 0x401000u})
      for (uint32_t sign : {0u, 0x80000000u}) patterns.push_back(sign | (e << 23) | m);
  for (uint64_t u = 0; u < 0x100000000ull; u += 65537) patterns.push_back(uint32_t(u));
  for (uint32_t u : patterns) {
    float f;
    std::memcpy(&f, &u, 4);
    const _Float16 h = static_cast<_Float16>(f);
    uint16_t want;
    std::memcpy(&want, &h, 2);
    INFO("float bits 0x" << std::hex << u);
    CHECK(floatToHalf(f) == want);
  }
}
#endif

TEST_CASE("BF16 conversion rounds to nearest even and handles specials", "[safetensors]") {
  CHECK(floatToBf16(1.0f) == 0x3F80);
  CHECK(bf16ToFloat(0x3F80) == 1.0f);
  // 1 + 2^-8 is halfway between 1 (even) and 1 + 2^-7: ties to even.
  CHECK(floatToBf16(1.0f + std::ldexp(1.0f, -8)) == 0x3F80);
  CHECK(floatToBf16(1.0f + 3 * std::ldexp(1.0f, -8)) == 0x3F82);
  CHECK(floatToBf16(1.0f + std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20)) == 0x3F81);
  CHECK(floatToBf16(std::numeric_limits<float>::infinity()) == 0x7F80);
  CHECK(std::isnan(bf16ToFloat(floatToBf16(std::numeric_limits<float>::quiet_NaN()))));
  // Max finite float rounds up to infinity.
  CHECK(floatToBf16(std::numeric_limits<float>::max()) == 0x7F80);
}

TEST_CASE("F32 checkpoint round trip is bit-exact and generates the same tokens", "[checkpoint]") {
  TempDir dir;
  const ModelConfig c = loadModelConfig("tiny-64");
  const Mamba2Weights w = makeSyntheticWeights(c);
  saveCheckpoint(dir.file("m.safetensors"), w, DType::F32);
  const Mamba2Weights r = loadCheckpoint(dir.file("m.safetensors"), c);
  CHECK(r.embedding.data == w.embedding.data);
  for (size_t l = 0; l < w.layers.size(); ++l) {
    CHECK(r.layers[l].inProj.data == w.layers[l].inProj.data);
    CHECK(r.layers[l].convWeight.data == w.layers[l].convWeight.data);
    CHECK(r.layers[l].aLog == w.layers[l].aLog);
    CHECK(r.layers[l].outProj.data == w.layers[l].outProj.data);
  }
  CHECK(r.lmHead.rows == 0);  // tied
  CHECK(greedy(r, 24) == greedy(w, 24));
}

TEST_CASE("F16 and BF16 checkpoints hold each weight rounded once", "[checkpoint]") {
  TempDir dir;
  const ModelConfig c = loadModelConfig("tiny-64");
  const Mamba2Weights w = makeSyntheticWeights(c);
  for (DType t : {DType::F16, DType::BF16}) {
    CAPTURE(dtypeName(t));
    saveCheckpoint(dir.file("m.safetensors"), w, t);
    const Mamba2Weights r = loadCheckpoint(dir.file("m.safetensors"), c);
    const auto& a = w.layers[1].inProj.data;
    const auto& b = r.layers[1].inProj.data;
    for (size_t i = 0; i < a.size(); ++i) {
      const float expect = t == DType::F16 ? halfToFloat(floatToHalf(a[i])) : bf16ToFloat(floatToBf16(a[i]));
      REQUIRE(b[i] == expect);
    }
  }
}

TEST_CASE("untied lm_head is kept; the mamba_ssm embedding name is accepted", "[checkpoint]") {
  TempDir dir;
  const ModelConfig c = loadModelConfig("tiny-64");
  Mamba2Weights w = makeSyntheticWeights(c);
  w.lmHead = w.embedding;
  w.lmHead.at(3, 5) += 1.0f;
  saveCheckpoint(dir.file("u.safetensors"), w, DType::F32);
  const Mamba2Weights r = loadCheckpoint(dir.file("u.safetensors"), c);
  REQUIRE(r.lmHead.rows == c.vocabSize);
  CHECK(r.lmHead.at(3, 5) == w.lmHead.at(3, 5));

  SafetensorsWriter out;
  auto file = SafetensorsFile::open(dir.file("u.safetensors"));
  for (const auto& [name, info] : file->tensors()) {
    if (name == "lm_head.weight") continue;
    const std::vector<float> v = file->readFloat(name, info.shape);
    out.add(name == "backbone.embeddings.weight" ? "backbone.embedding.weight" : name, DType::F32,
            info.shape, v.data());
  }
  out.write(dir.file("old.safetensors"));
  CHECK(loadCheckpoint(dir.file("old.safetensors"), c).embedding.data == w.embedding.data);
}

TEST_CASE("malformed safetensors files give errors naming the problem", "[checkpoint]") {
  TempDir dir;
  const std::string p = dir.file("bad.safetensors");
  const ModelConfig c = loadModelConfig("tiny-64");

  SECTION("shorter than the length field") {
    writeText(p, "abc");
    CHECK_THAT(errorOf([&] { SafetensorsFile::open(p); }), Catch::Contains("truncated"));
  }
  SECTION("header length beyond the file") {
    writeRaw(p, "{}", 0, 4096);
    CHECK_THAT(errorOf([&] { SafetensorsFile::open(p); }), Catch::Contains("bad header"));
  }
  SECTION("a number beyond double in the header (found by fuzz_safetensors)") {
    writeRaw(p, "{\"w\": {\"dtype\": \"F32\", \"shape\": [999e999], \"data_offsets\": [0, 4]}}", 4);
    CHECK_THAT(errorOf([&] { SafetensorsFile::open(p); }), Catch::Contains("not valid JSON"));
  }
  SECTION("a shape whose element count overflows (2^32 x 2^32 wraps to 0 bytes)") {
    writeRaw(p, "{\"w\": {\"dtype\": \"F16\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 0]}}", 0);
    CHECK_THAT(errorOf([&] { SafetensorsFile::open(p); }), Catch::Contains("more elements than any file can hold"));
  }
  SECTION("header is not JSON") {
    writeRaw(p, "{not json", 0);
    CHECK_THAT(errorOf([&] { SafetensorsFile::open(p); }), Catch::Contains("not valid JSON"));
  }
  SECTION("unsupported dtype names the tensor") {
    writeRaw(p, R"({"w":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}})", 2);
    const std::string e = errorOf([&] { SafetensorsFile::open(p); });
    CHECK_THAT(e, Catch::Contains("tensor w") && Catch::Contains("unsupported dtype \"I8\""));
  }
  SECTION("data past the end of the file (truncated data)") {
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8);
    CHECK_THAT(errorOf([&] { SafetensorsFile::open(p); }),
               Catch::Contains("tensor w") && Catch::Contains("truncated"));
  }
  SECTION("offsets that disagree with the shape") {
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})", 16);
    CHECK_THAT(errorOf([&] { SafetensorsFile::open(p); }),
               Catch::Contains("tensor w") && Catch::Contains("needs 12 bytes"));
  }
  SECTION("missing tensor") {
    const Mamba2Weights w = makeSyntheticWeights(c);
    saveCheckpoint(p, w, DType::F32);
    const ModelConfig bigger = loadModelConfig("tiny-256");
    CHECK_THAT(errorOf([&] { loadCheckpoint(p, bigger); }),
               Catch::Contains("backbone.embeddings.weight") && Catch::Contains("shape"));
  }
  SECTION("a layer missing from the checkpoint") {
    ModelConfig threeLayers = c;
    threeLayers.nLayer = 3;
    saveCheckpoint(p, makeSyntheticWeights(c), DType::F32);
    CHECK_THAT(errorOf([&] { loadCheckpoint(p, threeLayers); }),
               Catch::Contains("missing tensor backbone.layers.2.norm.weight"));
  }
  SECTION("an extra layer in the checkpoint") {
    ModelConfig oneLayer = c;
    oneLayer.nLayer = 1;
    saveCheckpoint(p, makeSyntheticWeights(c), DType::F32);
    CHECK_THAT(errorOf([&] { loadCheckpoint(p, oneLayer); }),
               Catch::Contains("unexpected tensor backbone.layers.1"));
  }
}

TEST_CASE("a failed checkpoint write leaves no file behind", "[checkpoint]") {
  TempDir dir;
  const ModelConfig c = loadModelConfig("tiny-64");
  const std::string p = dir.file("no/such/dir/m.safetensors");
  CHECK_THROWS_AS(saveCheckpoint(p, makeSyntheticWeights(c), DType::F32), Error);
  CHECK_FALSE(std::ifstream(p).good());
  CHECK_FALSE(std::ifstream(p + ".tmp").good());
}
