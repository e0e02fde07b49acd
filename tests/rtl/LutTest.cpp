// sm_lut_act: the SiLU / softplus / exp LUT unit loaded with the golden
// tables (intops::siluLut() ...) against intops::lut(), random back-pressure,
// plus a broken variant.
#include <catch2/catch.hpp>

#include <map>

#include "Vsm_lut_act.h"
#include "Vsm_lut_act_bug.h"
#include "models/int/IntOps.h"
#include "models/int/IntTables.h"
#include "tests/rtl/GoldenFiles.h"
#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/StreamCheck.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

constexpr unsigned kLanes = 8;  // must match rtl_model() in CMakeLists.txt

template <typename Dut>
void loadTables(Dut& dut, const intops::Lut& L) {
  dut.alpha_i = uint32_t(L.alpha);
  dut.k_i = uint8_t(L.k);
  dut.ks_i = uint8_t(L.ks);
  dut.valid_i = 0;
  dut.ready_i = 0;
  for (unsigned a = 0; a < L.t.size() + L.ts.size(); ++a) {
    const bool shiftTable = a >= L.t.size();
    dut.tab_we_i = 1;
    dut.tab_sel_i = shiftTable;
    dut.tab_addr_i = uint16_t(shiftTable ? a - L.t.size() : a);
    dut.tab_data_i = shiftTable ? uint16_t(L.ts[a - L.t.size()]) : uint16_t(L.t[a]);
    tick(dut);
  }
  dut.tab_we_i = 0;
  dut.eval();
}

// Inputs around the table's range (most), anywhere in int32 (some).
int32_t lutInput(Rng& rng, const intops::Lut& L) {
  if (rng.below(8) == 0) return int32_t(spreadSigned(rng, 32));
  const int64_t span = int64_t(intops::kLutShiftEntries) << L.ks;
  const int64_t v = L.alpha - span / 8 + int64_t(rng.below(uint64_t(span + span / 4)));
  return int32_t(v);
}

template <typename Dut>
StreamRun runLut(Dut& dut, Rng& rng, const intops::Lut& L, const std::vector<Bits>& in, double pv, double pr) {
  reset(dut);
  loadTables(dut, L);
  return runStream(
      dut, rng, in, in.size(), [](Dut& d, const Bits& b) { b.store(d.data_i); },
      [](Dut& d) {
        Bits o(kLanes * 32);
        o.load(d.data_o);
        return o;
      },
      pv, pr);
}

// `beats` beats of kLanes inputs and the golden outputs.
void makeVectors(Rng& rng, const intops::Lut& L, int beats, std::vector<Bits>& in, std::vector<Bits>& want) {
  for (int n = 0; n < beats; ++n) {
    Bits b(kLanes * 32), w(kLanes * 32);
    for (unsigned l = 0; l < kLanes; ++l) {
      const int32_t x = lutInput(rng, L);
      b.set(l * 32, 32, uint32_t(x));
      w.set(l * 32, 32, uint32_t(intops::lut(L, x)));
    }
    in.push_back(b);
    want.push_back(w);
  }
}

struct LutCase {
  const char* name;
  intops::Lut (*make)();
};

}  // namespace

TEST_CASE("sm_lut_act matches intops::lut for SiLU, softplus and exp under back-pressure", "[rtl][lut]") {
  Rng rng(testSeed("sm_lut_act", 0xA1));
  for (const LutCase& c : {LutCase{"silu", intops::siluLut}, LutCase{"softplus", intops::softplusLut},
                           LutCase{"exp", intops::expLut}}) {
    const intops::Lut L = c.make();
    std::vector<Bits> in, want;
    makeVectors(rng, L, 4000, in, want);  // 32,000 values per function
    INFO("function " << c.name);
    const std::string name = std::string("sm_lut_act Lanes=8 ") + c.name;
    checkStreamUnit<Vsm_lut_act>(
        name.c_str(), rng,
        [&](Vsm_lut_act& d, Rng& r, double pv, double pr) { return runLut(d, r, L, in, pv, pr); }, want, 3);
  }
}

TEST_CASE("sm_lut_act regression catches an off-by-one index", "[rtl][lut]") {
  Rng rng(testSeed("sm_lut_act bug", 0xA2));
  const intops::Lut L = intops::siluLut();
  std::vector<Bits> in, want;
  makeVectors(rng, L, 2000, in, want);
  Vsm_lut_act_bug dut;
  CHECK(countMismatches(runLut(dut, rng, L, in, 0.7, 0.6).outputs, want) > 0);
}

TEST_CASE("sm_lut_act, loaded from luts.json, matches the exported layers' SiLU, softplus and exp",
          "[rtl][lut][real]") {
  Rng rng(testSeed("sm_lut_act real", 0xA3));
  size_t values = 0;
  forEachGolden([&](const GoldenFiles& g) {
    const Json luts = g.read("luts.json");
    const int D = g.manifest()["d_inner"];
    std::map<std::string, std::pair<std::vector<int32_t>, std::vector<int32_t>>> io;  // function -> (x, y)
    auto add = [&](const char* fn, const std::vector<int32_t>& x, const std::vector<int32_t>& y) {
      REQUIRE(x.size() == y.size());
      io[fn].first.insert(io[fn].first.end(), x.begin(), x.end());
      io[fn].second.insert(io[fn].second.end(), y.begin(), y.end());
    };
    for (int l = 0; l < g.layers(); ++l) {
      for (const Json& t : g.tokens(l)) {
        const Json& tr = t["trace"];
        add("silu", vec<int32_t>(tr["conv_out"]), vec<int32_t>(tr["silu_xbc"]));
        add("silu", slice32(tr["zxbcdt"], 0, D), vec<int32_t>(tr["silu_z"]));
        add("softplus", vec<int32_t>(tr["dt_in"]), vec<int32_t>(tr["dt"]));
        add("exp", vec<int32_t>(tr["ssm"]["dtA"]), vec<int32_t>(tr["ssm"]["dA_raw"]));
      }
    }
    for (auto& [fn, xy] : io) {
      const intops::Lut L = lutOf(luts[fn]);
      auto& [x, y] = xy;
      while (x.size() % kLanes) {  // pad the last beat
        x.push_back(x.back());
        y.push_back(y.back());
      }
      std::vector<Bits> in, want;
      for (size_t i = 0; i < x.size(); i += kLanes) {
        Bits b(kLanes * 32), w(kLanes * 32);
        for (unsigned l = 0; l < kLanes; ++l) {
          b.set(l * 32, 32, uint32_t(x[i + l]));
          w.set(l * 32, 32, uint32_t(y[i + l]));
        }
        in.push_back(b);
        want.push_back(w);
      }
      INFO("function " << fn << ", " << x.size() << " values");
      checkStalled<Vsm_lut_act>(
          rng, [&](Vsm_lut_act& d, Rng& r, double pv, double pr) { return runLut(d, r, L, in, pv, pr); }, want);
      values += x.size();
    }
  });
  std::printf("[sm_lut_act real] %zu real values\n", values);
  CHECK(values > 0);
}
