#include "tests/rtl/GoldenFiles.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/config/ModelConfig.h"
#include "models/int/GoldenVectors.h"
#include "models/int/OfflineQuantizer.h"
#include "models/rotation/RotationFolding.h"
#include "models/weights/SyntheticWeights.h"
#include "tests/rtl/RtlTestSupport.h"

namespace specmamba::rtltest {

const std::vector<GoldenVariant>& goldenVariants() {
  static const std::vector<GoldenVariant> v{{"tiny-64", "w4a4", "online", 6},
                                            {"tiny-64", "w8a8", "offline-only", 4},
                                            {"tiny-256", "w4a4", "online", 4},
                                            {"tiny-256", "w8a8", "online", 4}};
  return v;
}

GoldenFiles::GoldenFiles(const GoldenVariant& v) : v_(v) {
  const std::string label = "golden " + name();
  const uint64_t seed = testSeed(label.c_str(), 1);
  dir_ = std::string(SPECMAMBA_RTL_GOLDEN_DIR) + "/" + v.model + "-" + v.precision + "-" +
         v.rotation + "-" + std::to_string(::getpid());
  const ModelConfig config = loadModelConfig(v.model);
  SyntheticOptions synth;
  synth.seed = seed;
  QuantOptions qo;
  qo.precision = parsePrecision(v.precision);
  qo.rotation = parseRotationMode(v.rotation);
  const IntModelWeights q = quantizeModel(makeSyntheticWeights(config, synth), qo);
  GoldenVectorOptions go;
  go.tokens = v.tokens;
  go.seed = seed;
  exportGoldenVectors(q, dir_, go);
  manifest_ = read("manifest.json");
  REQUIRE(manifest_["format"] == "specmamba-golden-vectors");
  REQUIRE(manifest_["model"] == v.model);
  REQUIRE(manifest_["precision"] == v.precision);
  REQUIRE(manifest_["rotation"] == v.rotation);
  REQUIRE(manifest_["tokens"].size() == size_t(v.tokens));
  std::printf("[%s] %d tokens exported to %s\n", label.c_str(), v.tokens, dir_.c_str());
}

GoldenFiles::~GoldenFiles() {
  if (std::getenv("SPECMAMBA_KEEP_VECTORS")) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string GoldenFiles::name() const {
  return std::string(v_.model) + " " + v_.precision + " " + v_.rotation;
}

int GoldenFiles::bits() const { return manifest_["precision"] == "w8a8" ? 8 : 4; }

bool GoldenFiles::has(const std::string& file) const {
  for (const auto& f : manifest_["files"])
    if (f == file) return true;
  return false;
}

Json GoldenFiles::read(const std::string& file) const {
  std::ifstream in(dir_ + "/" + file);
  INFO("golden file " << dir_ << "/" << file);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str());
}

Json GoldenFiles::tokens(int layer) const {
  Json t = read("layer" + std::to_string(layer) + "_tokens.json");
  REQUIRE(t["layer"] == layer);
  REQUIRE(t["tokens"].size() == size_t(v_.tokens));
  return std::move(t["tokens"]);
}

void forEachGolden(const std::function<void(const GoldenFiles&)>& f,
                   const std::function<bool(const GoldenVariant&)>& want) {
  for (const GoldenVariant& v : goldenVariants()) {
    if (want && !want(v)) continue;
    const GoldenFiles g(v);
    INFO("golden vectors " << g.name());
    f(g);
  }
}

intops::PotVector potOf(const Json& j) {
  intops::PotVector v;
  v.q = vec<int8_t>(j["q"]);
  v.s = vec<uint8_t>(j["s"]);
  REQUIRE(v.q.size() == v.s.size() * intops::kGroup);
  return v;
}

intops::IntLinear linearOf(const Json& j) {
  intops::IntLinear L;
  L.rows = j["rows"];
  L.cols = j["cols"];
  L.bits = j["bits"];
  L.group = j["group"];
  L.outShift = j["out_shift"];
  L.accBits = j["acc_bits"];
  L.w = vec<int8_t>(j["w"]);
  L.s1 = vec<uint8_t>(j["s1"]);
  L.s2 = vec<uint8_t>(j["s2"]);
  REQUIRE(L.w.size() == size_t(L.rows) * size_t(L.cols));
  REQUIRE(L.s1.size() == size_t(L.rows) * size_t(L.groupsPerRow()));
  return L;
}

intops::Lut lutOf(const Json& j) {
  intops::Lut L;
  L.alpha = j["alpha"];
  L.k = j["k"];
  L.ks = j["ks"];
  L.inFrac = j["in_frac"];
  L.outFrac = j["out_frac"];
  L.t = vec<int16_t>(j["t"]);
  L.ts = vec<uint8_t>(j["ts"]);
  REQUIRE(L.t.size() == size_t(intops::kLutEntries));
  REQUIRE(L.ts.size() == size_t(intops::kLutShiftEntries));
  return L;
}

intops::RmsLut rmsLutOf(const Json& j) {
  intops::RmsLut L;
  const auto alpha = vec<int64_t>(j["alpha"]);
  const auto l2d = vec<uint8_t>(j["log2denom"]), off = vec<uint8_t>(j["offset"]);
  REQUIRE(alpha.size() == size_t(intops::kRmsSubTables));
  for (int i = 0; i < intops::kRmsSubTables; ++i) {
    L.alpha[i] = alpha[size_t(i)];
    L.log2denom[i] = l2d[size_t(i)];
    L.offset[i] = off[size_t(i)];
  }
  L.inFrac = j["in_frac"];
  L.table = vec<uint16_t>(j["table"]);
  REQUIRE(L.table.size() == size_t(intops::kRmsSubTables * intops::kRmsEntries));
  return L;
}

intops::IntConv convOf(const Json& j) {
  intops::IntConv c;
  c.channels = j["channels"];
  c.kernel = j["kernel"];
  c.w = vec<int8_t>(j["w"]);     // [tap][channel]
  c.ws = vec<uint8_t>(j["ws"]);  // [tap][channel / 8]
  c.b = vec<int8_t>(j["b"]);
  c.bs = vec<uint8_t>(j["bs"]);
  REQUIRE(c.w.size() == size_t(c.kernel) * size_t(c.channels));
  REQUIRE(c.ws.size() == size_t(c.kernel) * size_t(c.channels) / intops::kGroup);
  return c;
}

std::vector<int32_t> slice32(const Json& j, int begin, int n) {
  REQUIRE(j.size() >= size_t(begin + n));
  std::vector<int32_t> out;
  for (int i = 0; i < n; ++i) out.push_back(j[size_t(begin + i)].get<int32_t>());
  return out;
}

}  // namespace specmamba::rtltest
