#pragma once
// Real-layer vectors for the RTL tests ([real]): the golden exporter
// (models/int/GoldenVectors, format docs/arithmetic.md "Golden vectors") is run
// in-process into a directory under the build tree, and the tests read its
// JSON files back from disk: the files are the interface, not the structs.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/int/IntOps.h"

namespace specmamba::rtltest {

using Json = nlohmann::json;

// One exported model: which tiny model, precision, rotation, how many tokens.
struct GoldenVariant {
  const char* model;      // "tiny-64" | "tiny-256"
  const char* precision;  // "w4a4" | "w8a8"
  const char* rotation;   // "online" | "offline-only" | "none"
  int tokens;
};

// The variants every [real] test runs: tiny-64 and tiny-256, W4A4 and W8A8,
// online rotation for three of the four.
const std::vector<GoldenVariant>& goldenVariants();

// One export on disk. The constructor exports (seed = SPECMAMBA_SEED if set,
// else 1; printed) into <build>/tests/rtl/golden/<variant>-<pid>; the
// destructor removes it unless SPECMAMBA_KEEP_VECTORS is set.
class GoldenFiles {
 public:
  explicit GoldenFiles(const GoldenVariant& v);
  ~GoldenFiles();
  GoldenFiles(const GoldenFiles&) = delete;
  GoldenFiles& operator=(const GoldenFiles&) = delete;

  const GoldenVariant& variant() const { return v_; }
  std::string name() const;  // "tiny-64 w4a4 online"
  const std::string& dir() const { return dir_; }
  const Json& manifest() const { return manifest_; }
  int layers() const { return manifest_["n_layer"]; }
  int bits() const;  // activation bits of in_proj / out_proj: 4 or 8
  bool has(const std::string& file) const;
  Json read(const std::string& file) const;  // parsed from disk
  Json weights(int layer) const { return read("weights_layer" + std::to_string(layer) + ".json"); }
  Json tokens(int layer) const;  // layer{l}_tokens.json "tokens"

 private:
  GoldenVariant v_;
  std::string dir_;
  Json manifest_;
};

// Runs `f` on every golden variant that `want` accepts (default: all), each
// exported, then removed.
void forEachGolden(const std::function<void(const GoldenFiles&)>& f,
                   const std::function<bool(const GoldenVariant&)>& want = {});

// The JSON encodings of docs/arithmetic.md §8 -> operator structs.
intops::PotVector potOf(const Json& j);  // {"q": [...], "s": [...]}
intops::IntLinear linearOf(const Json& j);
intops::Lut lutOf(const Json& j);
intops::RmsLut rmsLutOf(const Json& j);
intops::IntConv convOf(const Json& j);
template <typename T>
std::vector<T> vec(const Json& j) {
  return j.get<std::vector<T>>();
}
// Elements [begin, begin + n) of an int32 array.
std::vector<int32_t> slice32(const Json& j, int begin, int n);

}  // namespace specmamba::rtltest
