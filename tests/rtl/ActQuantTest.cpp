// sm_act_quant: group PoT quantizer against intops::quantizeGroup (the golden operator), 4- and
// 8-bit, random back-pressure, plus a broken variant that must be caught.
#include <catch2/catch.hpp>

#include "Vsm_act_quant_b4.h"
#include "Vsm_act_quant_b4_bug.h"
#include "Vsm_act_quant_b8.h"
#include "models/int/IntOps.h"
#include "tests/rtl/GoldenFiles.h"
#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/StreamCheck.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

constexpr unsigned kGroup = 8;
constexpr unsigned kInWidth = 32;

struct Vectors {
  std::vector<Bits> in;
  std::vector<Bits> expected;  // codes | exponent << (8*bits)
};

void addGroup(Vectors& v, const int32_t* x, int bits, const int8_t* q, int s) {
  Bits in(kGroup * kInWidth), out(kGroup * bits + 4);
  for (unsigned i = 0; i < kGroup; ++i) {
    in.set(i * kInWidth, kInWidth, uint64_t(x[i]));
    out.set(i * bits, bits, uint64_t(q[i]));
  }
  out.set(kGroup * bits, 4, uint64_t(s));
  v.in.push_back(in);
  v.expected.push_back(out);
}

Vectors makeVectors(Rng& rng, size_t count, int bits) {
  Vectors v;
  for (size_t n = 0; n < count; ++n) {
    int32_t x[kGroup];
    int8_t q[kGroup];
    // One shared magnitude class per group (real groups are similar in size),
    // sometimes all-different, sometimes all zero.
    const unsigned cls = unsigned(rng.below(kInWidth)) + 1;
    for (unsigned i = 0; i < kGroup; ++i) {
      x[i] = rng.below(4) == 0 ? int32_t(spreadSigned(rng, kInWidth)) : int32_t(spreadSigned(rng, cls));
    }
    if (rng.below(200) == 0) std::fill(x, x + kGroup, 0);
    const int s = intops::quantizeGroup(x, kGroup, bits, q);
    addGroup(v, x, bits, q, s);
  }
  return v;
}

template <typename Dut>
StreamRun drive(Dut& dut, Rng& rng, const Vectors& v, int bits, double pValid, double pReady) {
  reset(dut);
  return runStream(
      dut, rng, v.in, v.expected.size(), [](Dut& d, const Bits& b) { b.store(d.data_i); },
      [bits](Dut& d) {
        Bits o(kGroup * bits + 4), codes(kGroup * bits);
        codes.load(d.data_o);
        o.set(0, kGroup * bits, codes.get(0, kGroup * bits));
        o.set(kGroup * bits, 4, d.exp_o);
        return o;
      },
      pValid, pReady);
}

size_t mismatches(const StreamRun& run, const Vectors& v) { return countMismatches(run.outputs, v.expected); }

template <typename Dut>
void checkUnit(int bits, const char* name, uint64_t fallbackSeed) {
  Rng rng(testSeed(name, fallbackSeed));
  const Vectors v = makeVectors(rng, 12000, bits);
  checkStreamUnit<Dut>(
      name, rng, [&](Dut& d, Rng& r, double pv, double pr) { return drive(d, r, v, bits, pv, pr); }, v.expected, 2);
}

// Every quantizer of the exported layers at `bits`: recorded input -> recorded codes.
Vectors goldenVectors(const GoldenFiles& g, int bits) {
  Vectors v;
  auto add = [&](const std::vector<int32_t>& x, const Json& want) {
    const intops::PotVector q = potOf(want);
    REQUIRE(x.size() == q.q.size());
    for (size_t i = 0; i < x.size(); i += kGroup) addGroup(v, &x[i], bits, &q.q[i], q.s[i / kGroup]);
  };
  const int D = g.manifest()["d_inner"], N = g.manifest()["d_state"];
  for (int l = 0; l < g.layers(); ++l) {
    for (const Json& t : g.tokens(l)) {
      const Json& tr = t["trace"];
      if (g.bits() == bits) {  // the in_proj and out_proj inputs
        add(vec<int32_t>(tr["u"]), tr["uq"]);
        add(vec<int32_t>(tr["rotated"]), tr["out_in"]);
      }
      if (bits == 8) {  // everything else is 8-bit
        add(slice32(tr["zxbcdt"], D, D + 2 * N), tr["conv_in"]);
        add(vec<int32_t>(tr["silu_xbc"]), tr["xbc"]);
        add(vec<int32_t>(tr["dt"]), tr["dtq"]);
        add(vec<int32_t>(tr["ssm"]["dA_raw"]), tr["ssm"]["dA"]);
        add(vec<int32_t>(tr["ssm"]["dB_raw"]), tr["ssm"]["dB"]);
        add(vec<int32_t>(tr["y"]), tr["yq"]);
        add(vec<int32_t>(tr["silu_z"]), tr["zq"]);
        const Json& h = t["state_after"]["ssm"];  // the stored state: along headdim
        add(vec<int32_t>(tr["ssm"]["h_new"]), Json{{"q", h["h"]}, {"s", h["s"]}});
      }
    }
  }
  return v;
}

template <typename Dut>
void checkReal(int bits, const char* name, uint64_t fallbackSeed) {
  Rng rng(testSeed(name, fallbackSeed));
  size_t groups = 0;
  forEachGolden(
      [&](const GoldenFiles& g) {
        const Vectors v = goldenVectors(g, bits);
        groups += v.in.size();
        checkStalled<Dut>(
            rng, [&](Dut& d, Rng& r, double pv, double pr) { return drive(d, r, v, bits, pv, pr); }, v.expected);
      },
      [bits](const GoldenVariant& v) { return bits == 8 || v.precision == std::string("w4a4"); });
  std::printf("[%s] %zu real groups\n", name, groups);
  CHECK(groups > 0);
}

}  // namespace

TEST_CASE("sm_act_quant 4-bit matches the exported layers' quantizers", "[rtl][quant][real]") {
  checkReal<Vsm_act_quant_b4>(4, "sm_act_quant Bits=4 real", 0x54);
}

TEST_CASE("sm_act_quant 8-bit matches the exported layers' quantizers", "[rtl][quant][real]") {
  checkReal<Vsm_act_quant_b8>(8, "sm_act_quant Bits=8 real", 0x55);
}

TEST_CASE("sm_act_quant 4-bit matches the golden quantizer under back-pressure", "[rtl][quant]") {
  checkUnit<Vsm_act_quant_b4>(4, "sm_act_quant Bits=4", 0x51);
}

TEST_CASE("sm_act_quant 8-bit matches the golden quantizer under back-pressure", "[rtl][quant]") {
  checkUnit<Vsm_act_quant_b8>(8, "sm_act_quant Bits=8", 0x52);
}

TEST_CASE("sm_act_quant regression catches a broken rounding", "[rtl][quant]") {
  Rng rng(testSeed("sm_act_quant bug", 0x53));
  const Vectors v = makeVectors(rng, 2000, 4);
  Vsm_act_quant_b4_bug dut;
  const StreamRun run = drive(dut, rng, v, 4, 0.7, 0.6);
  CHECK(mismatches(run, v) > 0);
}
