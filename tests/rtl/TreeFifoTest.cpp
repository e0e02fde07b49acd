// sm_tree_fifo: BFS node-state FIFO (SPEC §5) under random stalls, a whole
// token-tree walk through it, the status flags, and a broken variant.
#include <catch2/catch.hpp>

#include <deque>

#include "Vsm_tree_fifo.h"
#include "Vsm_tree_fifo_bug.h"
#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RtlTestSupport.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

// Must match the rtl_model() parameters in CMakeLists.txt.
constexpr unsigned kTileWords = 4;
constexpr unsigned kDepth = 4;
constexpr unsigned kMaxChildren = 3;

struct Tile {
  std::vector<uint32_t> words;
  unsigned nchild = 0;
};

struct ReadWord {
  uint32_t data;
  unsigned child;
  bool last;
  bool pop;
  bool operator==(const ReadWord& o) const {
    return data == o.data && child == o.child && last == o.last && pop == o.pop;
  }
};

// What the FIFO must read out for a sequence of pushed tiles.
std::vector<ReadWord> expectedReads(const std::vector<Tile>& tiles) {
  std::vector<ReadWord> r;
  for (const Tile& t : tiles) {
    for (unsigned c = 0; c < t.nchild; ++c) {
      for (unsigned w = 0; w < kTileWords; ++w) {
        r.push_back({t.words[w], c, w + 1 == kTileWords, w + 1 == kTileWords && c + 1 == t.nchild});
      }
    }
  }
  return r;
}

struct FifoRun {
  std::vector<ReadWord> reads;
  uint64_t firstPushCycle = 0, firstReadCycle = 0, lastReadCycle = 0;
  bool flagsOk = true;
  bool protocolOk = true;
  bool overflowSeen = false;  // a push attempted while full
};

// Pushes `tiles` word by word (source valid with probability pValid) and
// reads with probability pReady, checking flags and output stability.
template <typename Dut>
FifoRun runFifo(Dut& dut, Rng& rng, const std::vector<Tile>& tiles, size_t expected, double pValid,
                double pReady) {
  FifoRun run;
  reset(dut);
  size_t tile = 0, word = 0;
  bool offering = false, pushedAny = false, stalled = false;
  ReadWord held{};
  const uint64_t maxCycles = 2000 + 100 * (expected + tiles.size() * kTileWords) / (pValid * pReady);
  for (uint64_t cycle = 0; run.reads.size() < expected && cycle < maxCycles; ++cycle) {
    if (!offering && tile < tiles.size() && chance(rng, pValid)) offering = true;
    dut.valid_i = offering;
    if (offering) {
      dut.data_i = tiles[tile].words[word];
      dut.nchild_i = tiles[tile].nchild;
    }
    dut.ready_i = chance(rng, pReady);
    dut.eval();
    const ReadWord now{dut.data_o, dut.child_o, bool(dut.last_word_o), bool(dut.pop_o)};
    if (stalled && (!dut.valid_o || !(now == held))) run.protocolOk = false;
    if (bool(dut.full_o) == bool(dut.ready_o)) run.flagsOk = false;
    if (bool(dut.empty_o) != (dut.used_o == 0)) run.flagsOk = false;
    if (offering && dut.full_o) run.overflowSeen = true;
    stalled = dut.valid_o && !dut.ready_i;
    held = now;
    if (dut.valid_o && dut.ready_i) {
      if (run.reads.empty()) run.firstReadCycle = cycle;
      run.lastReadCycle = cycle;
      run.reads.push_back(now);
    }
    if (offering && dut.ready_o) {
      if (!pushedAny) run.firstPushCycle = cycle;
      pushedAny = true;
      offering = false;
      if (++word == kTileWords) {
        word = 0;
        ++tile;
      }
    }
    tick(dut);
    if (bool(dut.overflow_o) != run.overflowSeen) run.flagsOk = false;
  }
  return run;
}

std::vector<Tile> randomTiles(Rng& rng, size_t count) {
  std::vector<Tile> tiles(count);
  for (Tile& t : tiles) {
    t.nchild = unsigned(rng.below(kMaxChildren + 1));
    for (unsigned w = 0; w < kTileWords; ++w) t.words.push_back(uint32_t(rng.next()));
  }
  return tiles;
}

size_t countMismatches(const std::vector<ReadWord>& got, const std::vector<ReadWord>& want) {
  size_t bad = want.size() > got.size() ? want.size() - got.size() : 0;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i) bad += !(got[i] == want[i]);
  return bad;
}

}  // namespace

TEST_CASE("sm_tree_fifo reads each tile once per child, in order, under back-pressure", "[rtl][tree]") {
  Rng rng(testSeed("sm_tree_fifo stream", 0x71));
  const std::vector<Tile> tiles = randomTiles(rng, 4000);
  const std::vector<ReadWord> want = expectedReads(tiles);
  REQUIRE(want.size() >= 10000);
  for (const auto& [pv, pr] : {std::pair{0.8, 0.5}, std::pair{0.4, 0.9}, std::pair{1.0, 1.0}}) {
    Vsm_tree_fifo dut;
    const FifoRun run = runFifo(dut, rng, tiles, want.size(), pv, pr);
    CHECK(run.protocolOk);
    CHECK(run.flagsOk);
    REQUIRE(run.reads.size() == want.size());
    CHECK(countMismatches(run.reads, want) == 0);
  }
}

TEST_CASE("sm_tree_fifo latency and read rate", "[rtl][tree]") {
  Rng rng(testSeed("sm_tree_fifo cycles", 0x72));
  std::vector<Tile> tiles = randomTiles(rng, 200);
  for (Tile& t : tiles) t.nchild = 2;  // reads outpace pushes: the read port runs every cycle
  const std::vector<ReadWord> want = expectedReads(tiles);
  Vsm_tree_fifo dut;
  const FifoRun run = runFifo(dut, rng, tiles, want.size(), 1.0, 1.0);
  REQUIRE(countMismatches(run.reads, want) == 0);
  const uint64_t latency = run.firstReadCycle - run.firstPushCycle;
  const double ii = double(run.lastReadCycle - run.firstReadCycle) / double(want.size() - 1);
  recordCycles("sm_tree_fifo (push->read, read words/cycle)", latency, ii);
  CHECK(latency == 2);
  CHECK(ii == Approx(1.0).epsilon(0.001));
}

TEST_CASE("sm_tree_fifo status flags: empty, full, sticky overflow", "[rtl][tree]") {
  Vsm_tree_fifo dut;
  reset(dut);
  dut.ready_i = 0;
  CHECK(dut.empty_o);
  CHECK_FALSE(dut.full_o);
  for (unsigned i = 0; i < kDepth * kTileWords; ++i) {
    dut.valid_i = 1;
    dut.data_i = i;
    dut.nchild_i = 1;
    dut.eval();
    REQUIRE(dut.ready_o);
    tick(dut);
  }
  CHECK(dut.full_o);
  CHECK_FALSE(dut.ready_o);
  CHECK_FALSE(dut.overflow_o);
  tick(dut);  // valid_i still high while full
  CHECK(dut.overflow_o);
  dut.valid_i = 0;
  dut.ready_i = 1;
  for (int i = 0; i < 40; ++i) tick(dut);
  CHECK(dut.empty_o);
  CHECK(dut.overflow_o);  // sticky until reset
  reset(dut);
  CHECK_FALSE(dut.overflow_o);
}

TEST_CASE("sm_tree_fifo feeds a BFS token-tree walk: every child sees its parent's state", "[rtl][tree]") {
  Rng rng(testSeed("sm_tree_fifo tree walk", 0x73));
  for (int trial = 0; trial < 40; ++trial) {
    // Random static tree, BFS numbered: parent[i] < i, parents non-decreasing.
    const unsigned nodes = 2 + unsigned(rng.below(30));
    std::vector<unsigned> parent(nodes, 0), nchild(nodes, 0);
    for (unsigned i = 1; i < nodes; ++i) {
      unsigned p = parent[i - 1];
      while (nchild[p] == kMaxChildren || (p < i - 1 && rng.below(3) == 0 && p + 1 < i)) ++p;
      parent[i] = p;
      ++nchild[p];
    }
    auto childState = [](const std::vector<uint32_t>& ps, unsigned node) {
      std::vector<uint32_t> s(kTileWords);
      for (unsigned w = 0; w < kTileWords; ++w) s[w] = ps[w] * 2654435761u + node * 97u + w;
      return s;
    };
    std::vector<std::vector<uint32_t>> want(nodes);
    for (unsigned w = 0; w < kTileWords; ++w) want[0].push_back(uint32_t(rng.next()));
    for (unsigned i = 1; i < nodes; ++i) want[i] = childState(want[parent[i]], i);

    // The walk: push the root; every copy read out becomes the next BFS
    // node's input; its state is pushed with that node's child count.
    Vsm_tree_fifo dut;
    reset(dut);
    std::deque<std::pair<uint32_t, unsigned>> pushQ;  // (word, nchild of its tile)
    for (unsigned w = 0; w < kTileWords; ++w) pushQ.push_back({want[0][w], nchild[0]});
    std::vector<std::vector<uint32_t>> got(nodes);
    got[0] = want[0];
    unsigned nextNode = 1;
    std::vector<uint32_t> copy;
    for (int cycle = 0; cycle < 20000 && nextNode < nodes; ++cycle) {
      dut.valid_i = !pushQ.empty() && chance(rng, 0.7);
      if (dut.valid_i) {
        dut.data_i = pushQ.front().first;
        dut.nchild_i = pushQ.front().second;
      }
      dut.ready_i = chance(rng, 0.7);
      dut.eval();
      if (dut.valid_o && dut.ready_i) {
        copy.push_back(dut.data_o);
        if (dut.last_word_o) {
          got[nextNode] = childState(copy, nextNode);
          for (uint32_t v : got[nextNode]) pushQ.push_back({v, nchild[nextNode]});
          copy.clear();
          ++nextNode;
        }
      }
      if (dut.valid_i && dut.ready_o) pushQ.pop_front();
      tick(dut);
    }
    REQUIRE(nextNode == nodes);
    for (unsigned i = 0; i < nodes; ++i) CHECK(got[i] == want[i]);
  }
}

TEST_CASE("sm_tree_fifo regression catches an early pop", "[rtl][tree]") {
  Rng rng(testSeed("sm_tree_fifo bug", 0x74));
  const std::vector<Tile> tiles = randomTiles(rng, 500);
  const std::vector<ReadWord> want = expectedReads(tiles);
  Vsm_tree_fifo_bug dut;
  const FifoRun run = runFifo(dut, rng, tiles, want.size(), 0.8, 0.5);
  CHECK(countMismatches(run.reads, want) > 0);
}
