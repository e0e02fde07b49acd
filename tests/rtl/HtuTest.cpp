// HTU: sm_fwht (128-point butterfly) and sm_hadamard_k (K-point +-1 stage)
// against intops::hadamardInt, alone and chained as the full d_inner
// rotation of each model size, with random back-pressure; plus a broken
// variant of the K stage.
#include <catch2/catch.hpp>

#include "Vsm_fwht.h"
#include "Vsm_hadamard_k.h"
#include "Vsm_hadamard_k_bug.h"
#include "models/common/Error.h"
#include "models/int/IntOps.h"
#include "models/rotation/Hadamard.h"
#include "sim/platform/rtl/HtuSigns.h"
#include "tests/rtl/GoldenFiles.h"
#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/StreamCheck.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

// Must match the rtl_model() parameters in CMakeLists.txt.
constexpr unsigned kLogPoints = 7, kPoints = 1u << kLogPoints, kMaxK = 40;

Bits packWords(const int32_t* v, unsigned n, unsigned width = 32) {
  Bits b(n * width);
  for (unsigned i = 0; i < n; ++i) b.set(i * width, 32, uint32_t(v[i]));
  return b;
}

// A random vector of n values that the golden HTU accepts (no overflow), and
// the golden result.
std::pair<std::vector<int32_t>, std::vector<int32_t>> goldenPair(Rng& rng, const HadamardSplit& s,
                                                                 const std::vector<int8_t>& km, int shift) {
  unsigned bits = 24;
  for (;;) {
    std::vector<int32_t> v(size_t(s.order())), y;
    const unsigned cls = 1 + unsigned(rng.below(bits));
    for (auto& e : v) e = int32_t(spreadSigned(rng, cls));
    y = v;
    try {
      intops::hadamardInt(y.data(), s, km, shift);
      return {v, y};
    } catch (const Error&) {
      bits = std::max(2u, bits - 2);
    }
  }
}

StreamRun runFwht(Vsm_fwht& dut, Rng& rng, const std::vector<Bits>& in, double pv, double pr) {
  reset(dut);
  return runStream(
      dut, rng, in, in.size(), [](Vsm_fwht& d, const Bits& b) { b.store(d.data_i); },
      [](Vsm_fwht& d) {
        Bits o(kPoints * 32);
        o.load(d.data_o);
        return o;
      },
      pv, pr);
}

template <typename Dut>
StreamRun runK(Dut& dut, Rng& rng, int k, const std::vector<int8_t>& km, int shift, const std::vector<Bits>& cols,
               double pv, double pr) {
  reset(dut);
  rtl::htuSignBits(km, k, kMaxK).store(dut.signs_i);
  dut.k_i = uint8_t(k);
  dut.shift_i = uint8_t(shift);
  return runStream(
      dut, rng, cols, cols.size(), [](Dut& d, const Bits& b) { b.store(d.data_i); },
      [k](Dut& d) {
        Bits o(kMaxK * 32);
        o.load(d.data_o);
        return o.slice(0, unsigned(k) * 32);  // rows >= k are unused
      },
      pv, pr);
}

// Vectors of order s.order() through sm_fwht (blocks of 128, random stalls)
// and then, as columns of K values, through sm_hadamard_k.
struct ChainRun {
  std::vector<Bits> cols, wantCols;  // sm_hadamard_k's inputs and expected outputs
  StreamRun k;                       // its run
};
ChainRun runChain(Rng& rng, const HadamardSplit& s, const std::vector<int8_t>& km, int shift,
                  const std::vector<std::vector<int32_t>>& in, const std::vector<std::vector<int32_t>>& want) {
  std::vector<Bits> blocks;
  for (const auto& v : in) {
    REQUIRE(v.size() == size_t(s.order()));
    for (int b = 0; b < s.k; ++b) blocks.push_back(packWords(v.data() + b * kPoints, kPoints));
  }
  Vsm_fwht fwht;
  const StreamRun f = runFwht(fwht, rng, blocks, 0.8, 0.7);
  CHECK(f.protocolOk);
  REQUIRE(f.outputs.size() == blocks.size());
  // Columns: the k values at position j, one per block.
  ChainRun r;
  for (size_t i = 0; i < in.size(); ++i) {
    for (unsigned j = 0; j < kPoints; ++j) {
      Bits c(kMaxK * 32), w(unsigned(s.k) * 32);
      for (int b = 0; b < s.k; ++b) {
        c.set(unsigned(b) * 32, 32, f.outputs[i * size_t(s.k) + size_t(b)].get(j * 32, 32));
        w.set(unsigned(b) * 32, 32, uint32_t(want[i][size_t(b) * kPoints + j]));
      }
      r.cols.push_back(c);
      r.wantCols.push_back(w);
    }
  }
  Vsm_hadamard_k kdut;
  r.k = runK(kdut, rng, s.k, km, shift, r.cols, 0.7, 0.7);
  return r;
}

}  // namespace

TEST_CASE("sm_fwht matches the golden 128-point butterfly under back-pressure", "[rtl][htu]") {
  Rng rng(testSeed("sm_fwht", 0x91));
  const HadamardSplit s{1, int(kPoints)};
  const std::vector<int8_t> one{1};
  std::vector<Bits> in, want;
  for (int n = 0; n < 10000; ++n) {
    auto [v, y] = goldenPair(rng, s, one, 0);
    in.push_back(packWords(v.data(), kPoints));
    want.push_back(packWords(y.data(), kPoints));
  }
  checkStreamUnit<Vsm_fwht>(
      "sm_fwht LogPoints=7", rng,
      [&](Vsm_fwht& d, Rng& r, double pv, double pr) { return runFwht(d, r, in, pv, pr); }, want, kLogPoints);
}

TEST_CASE("sm_fwht + sm_hadamard_k equal intops::hadamardInt for every model's d_inner", "[rtl][htu]") {
  Rng rng(testSeed("sm_hadamard_k chain", 0x92));
  for (const int n : {1536, 2560, 3072, 5120, 128}) {
    const HadamardSplit s = hadamardSplit(n);
    REQUIRE(s.pow2 == int(kPoints));
    const std::vector<int8_t> km = hadamardMatrix(s.k);
    const int shift = intops::hadamardShift(n);
    const int vectors = n == 128 ? 20 : 30;
    std::vector<std::vector<int32_t>> in, want;
    for (int i = 0; i < vectors; ++i) {
      auto [v, y] = goldenPair(rng, s, km, shift);
      in.push_back(v);
      want.push_back(y);
    }
    const ChainRun r = runChain(rng, s, km, shift, in, want);
    INFO("n = " << n << ", K = " << s.k);
    CHECK(r.k.protocolOk);
    CHECK(countMismatches(r.k.outputs, r.wantCols) == 0);
    const std::vector<Bits>& cols = r.cols;
    const std::vector<Bits>& wantCols = r.wantCols;
    if (n == 5120 || n == 1536) {
      Vsm_hadamard_k free;
      const StreamRun fast = runK(free, rng, s.k, km, shift, cols, 1.0, 1.0);
      CHECK(countMismatches(fast.outputs, wantCols) == 0);
      const CycleFigures cf = streamCycles(fast);
      const uint64_t latency = cf.latency;
      const double ii = cf.ii;
      recordCycles(n == 5120 ? "sm_hadamard_k K=40" : "sm_hadamard_k K=12", latency, ii);
      CHECK(latency == uint64_t(s.k) + 1);
      CHECK(ii == Approx(double(s.k)).epsilon(0.001));
    }
  }
}

TEST_CASE("sm_hadamard_k regression catches a round-to-nearest shift", "[rtl][htu]") {
  Rng rng(testSeed("sm_hadamard_k bug", 0x93));
  const int n = 1536;
  const HadamardSplit s = hadamardSplit(n);
  const std::vector<int8_t> km = hadamardMatrix(s.k);
  const int shift = intops::hadamardShift(n);
  std::vector<Bits> cols, want;
  for (int i = 0; i < 2000; ++i) {  // columns drawn directly (K values each)
    std::vector<int32_t> x(size_t(s.k));
    for (auto& e : x) e = int32_t(spreadSigned(rng, 20));
    std::vector<int32_t> v(size_t(n), 0);
    for (int b = 0; b < s.k; ++b) v[size_t(b) * kPoints] = x[size_t(b)];
    // H_128 of a block holding only x at position 0 is x everywhere: column 0
    // of the golden output is H_K x >> shift.
    intops::hadamardInt(v.data(), s, km, shift);
    Bits c(kMaxK * 32), w(unsigned(s.k) * 32);
    for (int b = 0; b < s.k; ++b) {
      c.set(unsigned(b) * 32, 32, uint32_t(x[size_t(b)]));
      w.set(unsigned(b) * 32, 32, uint32_t(v[size_t(b) * kPoints]));
    }
    cols.push_back(c);
    want.push_back(w);
  }
  Vsm_hadamard_k good;
  REQUIRE(countMismatches(runK(good, rng, s.k, km, shift, cols, 0.7, 0.7).outputs, want) == 0);
  Vsm_hadamard_k_bug bad;
  CHECK(countMismatches(runK(bad, rng, s.k, km, shift, cols, 0.7, 0.7).outputs, want) > 0);
}

TEST_CASE("sm_fwht + sm_hadamard_k rotate the exported layers' gated-norm outputs", "[rtl][htu][real]") {
  Rng rng(testSeed("sm_fwht + sm_hadamard_k real", 0x94));
  size_t vectors = 0;
  forEachGolden([&](const GoldenFiles& g) {
    REQUIRE(g.has("hadamard.json"));  // written in online mode
    const Json h = g.read("hadamard.json");
    const int n = g.manifest()["d_inner"];
    REQUIRE(h["order"] == n);
    HadamardSplit s;
    s.k = h["k"];
    s.pow2 = h["pow2"];
    REQUIRE(s.order() == n);
    REQUIRE(s.pow2 == int(kPoints));
    REQUIRE(s.k <= int(kMaxK));
    const auto km = vec<int8_t>(h["k_matrix"]);
    const int shift = h["shift"];
    std::vector<std::vector<int32_t>> in, want;
    for (const Json& c : h["cases"]) {  // layer 0
      in.push_back(vec<int32_t>(c["x"]));
      want.push_back(vec<int32_t>(c["y"]));
    }
    for (int l = 1; l < g.layers(); ++l) {
      for (const Json& t : g.tokens(l)) {
        in.push_back(vec<int32_t>(t["trace"]["gated"]));
        want.push_back(vec<int32_t>(t["trace"]["rotated"]));
      }
    }
    const ChainRun r = runChain(rng, s, km, shift, in, want);
    INFO("n = " << n << ", K = " << s.k << ", " << in.size() << " vectors");
    CHECK(r.k.protocolOk);
    CHECK(countMismatches(r.k.outputs, r.wantCols) == 0);
    vectors += in.size();
  }, [](const GoldenVariant& v) { return v.rotation == std::string("online"); });
  std::printf("[sm_fwht + sm_hadamard_k real] %zu real vectors\n", vectors);
  CHECK(vectors > 0);
}
