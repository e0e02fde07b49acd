// Speculative decoding on the FP32 golden models: token trees, the FIFO
// tree walk, backtracking strategies, losslessness and traffic accounting.
#include <catch2/catch.hpp>

#include <random>

#include "models/config/ModelConfig.h"
#include "models/int/OfflineQuantizer.h"
#include "models/speculative/Fp32Backend.h"
#include "models/speculative/IntBackend.h"
#include "models/speculative/SpeculativeDecoder.h"
#include "models/speculative/StateFifo.h"
#include "tests/common/TestSupport.h"

#include <nlohmann/json.hpp>
#include "models/weights/SyntheticWeights.h"

using namespace specmamba;

using Fp32TreeModel = TreeModel<Fp32Backend>;

namespace {

Mamba2Weights weightsFor(const std::string& model, uint64_t seed) {
  SyntheticOptions so;
  so.seed = seed;
  return makeSyntheticWeights(loadModelConfig(model), so);
}

std::vector<LayerPlan> planOf(const std::string& strategy, const Mamba2Fp32& m, int nodes,
                              int64_t onChip = 8ll << 20) {
  BacktrackBudget b;
  b.onChipBytes = onChip;
  return makeBacktrackPolicy(strategy)->plan(m.config(), 4, nodes, b);
}

}  // namespace

TEST_CASE("token trees: branching, parent lists, BFS numbering and validation", "[tree]") {
  const TokenTree t = TokenTree::fromBranching({3, 2, 2, 1});
  CHECK(t.size() == 1 + 3 + 6 + 12 + 12);
  CHECK(t.maxDepth() == 4);
  CHECK(t.maxWidth() == 12);
  CHECK(t.children(0) == std::vector<int>{1, 2, 3});
  CHECK(t.parent(4) == 1);
  CHECK(t.pathTo(22) == std::vector<int>{0, 1, 4, 10, 22});
  const TokenTree chain = TokenTree::fromBranching({1, 1, 1});
  CHECK(chain.size() == 4);
  CHECK(chain.fifoDepth() == 1);
  CHECK(TokenTree::parse("p:-1,0,0,1", "--tree").size() == 4);
  CHECK(TokenTree::parse("2,2", "--tree").parents() == std::vector<int>{-1, 0, 0, 1, 1, 2, 2});
  CHECK_THROWS_WITH(TokenTree::parse("p:-1,0,2", "--tree"), Catch::Contains("earlier node"));
  CHECK_THROWS_WITH(TokenTree::parse("p:-1,0,1,0", "--tree"), Catch::Contains("breadth-first"));
  CHECK_THROWS_WITH(TokenTree::parse("p:0,0", "--tree"), Catch::Contains("must start with -1"));
  CHECK_THROWS_WITH(TokenTree::parse("3,0", "--tree"), Catch::Contains("depth 1 must be in [1, 64]"));
  CHECK_THROWS_WITH(TokenTree::parse("3,x", "--tree"), Catch::Contains("--tree: expected"));
  CHECK_THROWS_WITH(TokenTree::parse("8,8,8,8", "--tree"), Catch::Contains("more than 1024 nodes"));
}

TEST_CASE("the FIFO depth computed from the tree bounds the walk", "[tree]") {
  // Simulated depth for [3,2,2,1]: the widest level's parents plus the node in flight.
  const TokenTree t = TokenTree::fromBranching({3, 2, 2, 1});
  CHECK(t.fifoDepth() <= t.maxWidth() + 1);
  CHECK(t.fifoDepth() >= 2);
  StateFifo<int> fifo(2);
  fifo.push(0, 10);
  fifo.push(1, 11);
  CHECK_THROWS_WITH(fifo.push(2, 12), Catch::Contains("overflow"));
  CHECK_THROWS_WITH(fifo.front(1), Catch::Contains("not at the front"));
  CHECK(fifo.front(0) == 10);
  fifo.pop();
  CHECK(fifo.front(1) == 11);
  fifo.pop();
  CHECK_THROWS_WITH(fifo.pop(), Catch::Contains("underflow"));
}

TEST_CASE("lossless: speculative output equals target-only greedy decoding", "[lossless]") {
  struct Case {
    std::string draft, target, tree, strategy;
    int tile;
    uint64_t seed;
  };
  const std::vector<Case> cases = {
      {"tiny-64", "tiny-256", "3,2,2,1", "replay", 4, 1},
      {"tiny-64", "tiny-256", "3,2,2,1", "store", 0, 2},
      {"tiny-64", "tiny-256", "2,2,2", "hybrid", 8, 3},
      {"tiny-64", "tiny-256", "1,1,1,1", "replay", 16, 4},
      {"tiny-64", "tiny-256", "p:-1,0,0,0,1,1,2,4", "store", 2, 5},
      {"tiny-256", "tiny-64", "4,2", "hybrid", 1, 6},
      {"tiny-64", "tiny-64", "2,1,1", "replay", 2, 7},
      {"tiny-64", "tiny-256", "1", "store", 0, 8},
  };
  for (const Case& k : cases) {
    CAPTURE(k.draft, k.target, k.tree, k.strategy, k.tile, k.seed);
    const Mamba2Weights dw = weightsFor(k.draft, k.seed), tw = weightsFor(k.target, k.seed + 100);
    const Mamba2Fp32 dm(dw), tm(tw);
    const TokenTree tree = TokenTree::parse(k.tree, "tree");
    TreeOptions dOpt, tOpt;
    tOpt.tileHeads = k.tile;
    const Fp32TreeModel draft(Fp32Backend(dm), tree, dOpt, planOf(k.strategy, dm, tree.size()));
    const Fp32TreeModel target(Fp32Backend(tm), tree, tOpt, planOf(k.strategy, tm, tree.size()));
    const SpeculativeDecoder dec(draft, target);
    const std::vector<int> prompt{int(k.seed % 50), 7, 300, 12};
    const SpeculativeResult r = dec.generate(prompt, 20);
    CHECK(r.tokens == targetOnlyGreedy(tm, prompt, 20));
    CHECK(r.fifoHighWater <= tree.fifoDepth());
  }
}

TEST_CASE("a draft equal to the target has every draft token accepted", "[lossless]") {
  const Mamba2Weights w = weightsFor("tiny-256", 11);
  const Mamba2Fp32 m(w);
  for (const char* shape : {"1,1,1", "3,2,2,1"}) {
    CAPTURE(shape);
    const TokenTree tree = TokenTree::parse(shape, "tree");
    TreeOptions opt;
    opt.tileHeads = 4;
    const Fp32TreeModel draft(Fp32Backend(m), tree, opt, planOf("replay", m, tree.size()));
    const Fp32TreeModel target(Fp32Backend(m), tree, opt, planOf("store", m, tree.size()));
    const SpeculativeResult r = SpeculativeDecoder(draft, target).generate({5, 6, 7}, 25);
    CHECK(r.tokens == targetOnlyGreedy(m, {5, 6, 7}, 25));
    for (const auto& s : r.steps) CHECK(s.accepted == tree.maxDepth());
    CHECK(r.meanAcceptedPerPass() == Approx(tree.maxDepth() + 1));
  }
}

TEST_CASE("replay rebuilds exactly the state that store keeps", "[backtrack]") {
  const Mamba2Weights dw = weightsFor("tiny-64", 21), tw = weightsFor("tiny-256", 22);
  const Mamba2Fp32 dm(dw), tm(tw);
  const TokenTree tree = TokenTree::fromBranching({3, 2, 1});
  TreeOptions opt;
  opt.tileHeads = 4;
  const Fp32TreeModel store(Fp32Backend(tm), tree, opt, planOf("store", tm, tree.size()));
  const Fp32TreeModel replay(Fp32Backend(tm), tree, opt, planOf("replay", tm, tree.size()));
  const Fp32TreeModel draft(Fp32Backend(dm), tree, TreeOptions{}, planOf("replay", dm, tree.size()));
  Mamba2State committed = tm.initialState();
  std::vector<float> logits(size_t(tm.config().vocabSize));
  tm.prefill({1, 2, 3, 4, 5}, committed, logits.data());
  Mamba2State dstate = dm.initialState();
  Ledger l;
  const auto drafted = draft.draft(9, dstate, l);
  const auto a = store.verify(drafted.tokens, committed, l);
  const auto b = replay.verify(drafted.tokens, committed, l);
  CHECK(a.logits.data == b.logits.data);
  // Every root-to-node path, not only the accepted one.
  for (int node = 0; node < tree.size(); ++node) {
    CAPTURE(node);
    Mamba2State s1 = committed, s2 = committed, s3 = committed;
    store.commit(a, tree.pathTo(node), s1, l);
    replay.commit(b, tree.pathTo(node), s2, l);
    CHECK(s1 == s2);
    for (int v : tree.pathTo(node)) tm.decode(drafted.tokens[size_t(v)], s3, logits.data());
    CHECK(s1 == s3);  // and both equal plain token-by-token decoding
  }
}

TEST_CASE("with tiling, committed-state traffic is one read and one write per layer per step",
          "[traffic]") {
  const Mamba2Weights tw = weightsFor("tiny-256", 31), dw = weightsFor("tiny-64", 32);
  const Mamba2Fp32 tm(tw), dm(dw);
  const LayerFootprint f = LayerFootprint::of(tm.config(), 4);
  for (const char* shape : {"1,1", "3,2,2,1", "4,4,2"}) {
    CAPTURE(shape);
    const TokenTree tree = TokenTree::parse(shape, "tree");
    TreeOptions opt;
    opt.tileHeads = 2;
    opt.fifoBytes = 1 << 20;
    const Fp32TreeModel target(Fp32Backend(tm), tree, opt, planOf("replay", tm, tree.size()));
    const Fp32TreeModel draft(Fp32Backend(dm), tree, TreeOptions{}, planOf("replay", dm, tree.size()));
    const SpeculativeResult r = SpeculativeDecoder(draft, target).generate({3, 4}, 12);
    for (const auto& s : r.steps) {
      CHECK(s.target[Traffic::CommittedStateRead] == tm.config().nLayer * f.stateBytes());
      CHECK(s.target[Traffic::CommittedStateWrite] == tm.config().nLayer * f.stateBytes());
      CHECK(s.target[Traffic::FifoSpill] == 0);
      CHECK(s.target[Traffic::NodeStateStore] == 0);
      // One weight pass per layer serves every node (TP = tree size).
      CHECK(s.target[Compute::WeightPasses] == tm.config().nLayer);
      CHECK(s.target[Traffic::Weights] == tm.config().nLayer * f.weightBytes);
    }
  }
}

TEST_CASE("store keeps node states on chip only while they fit", "[backtrack]") {
  const ModelConfig c = loadModelConfig("tiny-256");
  const LayerFootprint f = LayerFootprint::of(c, 4);
  const int nodes = 10;
  BacktrackBudget b;
  b.onChipBytes = 2 * nodes * f.stateBytes();  // room for exactly two layers
  const auto store = StoreBacktrack().plan(c, 4, nodes, b);
  CHECK(store[0].onChip);
  CHECK(store[1].onChip);
  CHECK_FALSE(store[2].onChip);
  CHECK_FALSE(store[3].onChip);
  CHECK_THROWS_WITH(makeBacktrackPolicy("undo"), Catch::Contains("store, replay, hybrid"));
}

TEST_CASE("hybrid picks, layer by layer, the strategy the cost model finds faster",
          "[backtrack]") {
  const ModelConfig target = loadModelConfig("mamba2-2.7b"), draft = loadModelConfig("mamba2-130m");
  const TokenTree tree = TokenTree::fromBranching({3, 2, 2, 1});
  BacktrackBudget b;
  b.onChipBytes = 16ll << 20;
  SECTION("a slow SSM unit (PP = 8): replaying costs more than writing states") {
    b.ssmUpdatesPerSecond = 8 * 400e6;
    for (const auto& p : HybridBacktrack().plan(target, 4, tree.size(), b)) {
      CHECK(p.mode == BacktrackMode::Store);
    }
  }
  SECTION("a wide SSM unit on DDR4: the state writes dominate, replay wins for the target") {
    b.ssmUpdatesPerSecond = 256 * 400e6;
    for (const auto& p : HybridBacktrack().plan(target, 4, tree.size(), b)) {
      CHECK(p.mode == BacktrackMode::Replay);
    }
    // The small draft's node states fit on chip for some layers: stored there.
    const auto d = HybridBacktrack().plan(draft, 4, 4, b);
    CHECK(d.front().mode == BacktrackMode::Store);
    CHECK(d.front().onChip);
  }
  // Whatever it picks is never slower than the alternative.
  const LayerFootprint f = LayerFootprint::of(target, 4);
  for (double rate : {1e9, 1e10, 1e11, 1e12}) {
    b.ssmUpdatesPerSecond = rate;
    const auto plan = HybridBacktrack().plan(target, 4, tree.size(), b);
    const double chosen = plan[0].mode == BacktrackMode::Store
                              ? storeCost(f, tree.size(), plan[0].onChip, b)
                              : replayCost(f, tree.size(), b);
    CHECK(chosen <= storeCost(f, tree.size(), false, b));
    CHECK(chosen <= replayCost(f, tree.size(), b));
  }
}

TEST_CASE("statistical mode charges exactly what a functional run moves", "[statistical]") {
  const Mamba2Weights dw = weightsFor("tiny-64", 51), tw = weightsFor("tiny-256", 51);
  const Mamba2Fp32 dm(dw), tm(tw);
  const TokenTree tree = TokenTree::fromBranching({2, 2, 1});
  TreeOptions topt;
  topt.tileHeads = 4;
  for (const char* strategy : {"store", "replay"}) {
    CAPTURE(strategy);
    const auto tplan = planOf(strategy, tm, tree.size()), dplan = planOf(strategy, dm, tree.size());
    const Fp32TreeModel target(Fp32Backend(tm), tree, topt, tplan), draft(Fp32Backend(dm), tree, TreeOptions{}, dplan);
    // A draft equal to the target would accept everything; mix both cases.
    const SpeculativeResult functional = SpeculativeDecoder(draft, target).generate({1, 2}, 15);
    test::TempDir dir;
    writeAcceptanceTrace(dir.file("t.json"), "2,2,1", functional.acceptedLengths());
    TraceAcceptance trace(dir.file("t.json"));
    const SpeculativeResult stat =
        simulateAcceptance(tree, draft.accounting(), target.accounting(), trace, 15);
    CHECK(stat.steps.size() == functional.steps.size());
    CHECK(stat.targetTotal.bytes == functional.targetTotal.bytes);
    CHECK(stat.targetTotal.ops == functional.targetTotal.ops);
    CHECK(stat.draftTotal.bytes == functional.draftTotal.bytes);
    CHECK(stat.draftTotal.ops == functional.draftTotal.ops);
  }
}

TEST_CASE("acceptance profiles are seeded and bounded by the tree", "[statistical]") {
  AcceptanceProfile always{"always", "test", {1.0, 1.0, 1.0}};
  AcceptanceProfile never{"never", "test", {0.0, 0.0, 0.0}};
  ProfileAcceptance a(always, 1), n(never, 1);
  CHECK(a.next(3) == 3);
  CHECK(n.next(3) == 0);
  CHECK_THROWS_WITH(a.next(4), Catch::Contains("covers depth 3"));
  const AcceptanceProfile def = loadAcceptanceProfile("default");
  ProfileAcceptance x(def, 7), y(def, 7), z(def, 8);
  std::vector<int> sx, sy, sz;
  for (int i = 0; i < 200; ++i) {
    sx.push_back(x.next(4));
    sy.push_back(y.next(4));
    sz.push_back(z.next(4));
  }
  CHECK(sx == sy);
  CHECK(sx != sz);
  // The mean accepted length follows the profile: sum over d of prod_{j<=d} p_j.
  double expect = 0, reach = 1;
  for (int d = 0; d < 4; ++d) expect += (reach *= def.acceptByDepth[size_t(d)]);
  double mean = 0;
  ProfileAcceptance w(def, 3);
  for (int i = 0; i < 20000; ++i) mean += w.next(4);
  CHECK(mean / 20000 == Approx(expect).epsilon(0.03));
}

TEST_CASE("speculative CLI: report, trace round trip and bad input", "[cli]") {
  test::TempDir dir;
  const std::string base = "generate --model tiny-256 --draft tiny-64 --tree 2,2 --tokens 12 --json --no-timing";
  const auto a = test::runCli(base + " --record-trace " + dir.file("trace.json"));
  REQUIRE(a.exitCode == 0);
  const auto doc = nlohmann::json::parse(a.out);
  CHECK(doc["mode"] == "functional");
  CHECK(doc["generated_tokens"] == nlohmann::json::parse(
                                       test::runCli("generate --model tiny-256 --prompt-tokens 1 "
                                                    "--tokens 12 --json --no-timing")
                                           .out)["generated_tokens"]);
  CHECK(test::runCli(base).out == test::runCli(base).out);
  const auto intSpec = test::runCli(base + " --int --precision w8a8");
  REQUIRE(intSpec.exitCode == 0);
  CHECK(nlohmann::json::parse(intSpec.out)["generated_tokens"] ==
        nlohmann::json::parse(test::runCli("generate --model tiny-256 --int --precision w8a8 "
                                           "--prompt-tokens 1 --tokens 12 --json --no-timing")
                                  .out)["generated_tokens"]);
  const auto replay = test::runCli(
      "generate --model tiny-256 --draft tiny-64 --tree 2,2 --tokens 12 --json --no-timing "
      "--acceptance-trace " + dir.file("trace.json"));
  REQUIRE(replay.exitCode == 0);
  CHECK(nlohmann::json::parse(replay.out)["traffic_total"] == doc["traffic_total"]);
  const auto big = test::runCli(
      "generate --model mamba2-2.7b --draft mamba2-130m --tree 3,2,2,1 --tokens 200 --json "
      "--no-timing --acceptance-profile default");
  REQUIRE(big.exitCode == 0);
  CHECK(nlohmann::json::parse(big.out)["mean_tokens_per_target_pass"].get<double>() > 1.5);

  auto fails = [](const std::string& args, const std::string& mention) {
    CAPTURE(args);
    const auto r = test::runCli(args);
    CHECK(r.exitCode != 0);
    CHECK_THAT(r.err, Catch::Contains(mention));
  };
  const std::string spec = "generate --model tiny-256 --draft tiny-64 --tokens 4 ";
  fails(spec + "--tree 3,x", "--tree: expected");
  fails(spec + "--tree p:-1,0,2", "--tree: tree node 2");
  fails(spec + "--backtrack undo", "unknown backtracking strategy \"undo\"");
  fails(spec + "--tile-heads 5", "--tile-heads: must divide the 16 heads");
  fails(spec + "--int --tile-heads 4", "--tile-heads: the integer model tiles whole groups of 8");
  fails(spec + "--acceptance-profile nosuch", "unknown acceptance \"nosuch\"");
  fails("generate --model tiny-256 --draft mamba2-130m --tokens 4", "must share a vocabulary");
  fails("generate --model tiny-256 --tree 2,2 --tokens 4", "--tree requires --draft");
  test::writeText(dir.file("bad.json"), R"({"tree": "2,2", "accepted": [1, 7]})");
  fails(spec + "--tree 2,2 --acceptance-trace " + dir.file("bad.json"), "/accepted/1: 7 accepted tokens");
  test::writeText(dir.file("prof.json"), R"({"name": "p", "source": "s", "accept_by_depth": [0.5, 1.5]})");
  fails(spec + "--acceptance-profile " + dir.file("prof.json"), "/accept_by_depth/1: must be in [0, 1]");
}

namespace {

IntModelWeights quantized(const std::string& model, uint64_t seed, const char* precision,
                          const char* rotation) {
  QuantOptions qo;
  qo.precision = parsePrecision(precision);
  qo.rotation = parseRotationMode(rotation);
  return quantizeModel(weightsFor(model, seed), qo);
}

}  // namespace

TEST_CASE("lossless on the integer model: speculative output equals integer greedy decoding",
          "[lossless][int]") {
  using IntTreeModel = TreeModel<IntBackend>;
  struct Case {
    std::string draft, target, tree, strategy, precision, rotation;
    int tile;
    uint64_t seed;
  };
  const std::vector<Case> cases = {
      {"tiny-64", "tiny-256", "3,2,2,1", "replay", "w4a4", "online", 8, 1},
      {"tiny-64", "tiny-256", "2,2,2", "store", "w8a8", "offline-only", 0, 2},
      {"tiny-64", "tiny-256", "p:-1,0,0,0,1,1,2,4", "hybrid", "w4a4", "none", 16, 3},
      {"tiny-256", "tiny-64", "4,2", "replay", "w4a4", "online", 8, 4},
  };
  for (const Case& k : cases) {
    CAPTURE(k.draft, k.target, k.tree, k.strategy, k.precision, k.rotation, k.tile, k.seed);
    const IntModelWeights dq = quantized(k.draft, k.seed, k.precision.c_str(), k.rotation.c_str());
    const IntModelWeights tq =
        quantized(k.target, k.seed + 100, k.precision.c_str(), k.rotation.c_str());
    const Mamba2Int dm(dq), tm(tq);
    const TokenTree tree = TokenTree::parse(k.tree, "tree");
    BacktrackBudget b;
    TreeOptions dOpt, tOpt;
    tOpt.tileHeads = k.tile;
    const auto policy = makeBacktrackPolicy(k.strategy);
    const IntTreeModel draft(IntBackend(dm), tree, dOpt, policy->plan(dm.config(), 4, tree.size(), b));
    const IntTreeModel target(IntBackend(tm), tree, tOpt,
                              policy->plan(tm.config(), 4, tree.size(), b));
    const std::vector<int> prompt{int(k.seed % 50), 7, 300, 12};
    const SpeculativeResult r = SpeculativeDecoder(draft, target).generate(prompt, 16);
    CHECK(r.tokens == targetOnlyGreedy(tm, prompt, 16));
    CHECK(r.fifoHighWater <= tree.fifoDepth());
  }
  SECTION("a draft equal to the target accepts every draft token") {
    const IntModelWeights q = quantized("tiny-256", 9, "w4a4", "online");
    const Mamba2Int m(q);
    const TokenTree tree = TokenTree::fromBranching({2, 2, 1});
    TreeOptions opt;
    opt.tileHeads = 8;
    BacktrackBudget b;
    const IntTreeModel draft(IntBackend(m), tree, opt, ReplayBacktrack().plan(m.config(), 4, 11, b));
    const IntTreeModel target(IntBackend(m), tree, opt, StoreBacktrack().plan(m.config(), 4, 11, b));
    const SpeculativeResult r = SpeculativeDecoder(draft, target).generate({5, 6, 7}, 20);
    CHECK(r.tokens == targetOnlyGreedy(m, {5, 6, 7}, 20));
    for (const auto& s : r.steps) CHECK(s.accepted == 3);
  }
}

TEST_CASE("integer replay rebuilds exactly the state that store keeps", "[backtrack][int]") {
  const IntModelWeights tq = quantized("tiny-256", 61, "w4a4", "online");
  const IntModelWeights dq = quantized("tiny-64", 62, "w4a4", "online");
  const Mamba2Int tm(tq), dm(dq);
  const TokenTree tree = TokenTree::fromBranching({3, 2, 1});
  TreeOptions opt;
  opt.tileHeads = 8;
  BacktrackBudget b;
  const TreeModel<IntBackend> store(IntBackend(tm), tree, opt, StoreBacktrack().plan(tm.config(), 4, tree.size(), b));
  const TreeModel<IntBackend> replay(IntBackend(tm), tree, opt, ReplayBacktrack().plan(tm.config(), 4, tree.size(), b));
  const TreeModel<IntBackend> draft(IntBackend(dm), tree, TreeOptions{}, ReplayBacktrack().plan(dm.config(), 4, tree.size(), b));
  IntState committed = tm.initialState();
  std::vector<float> logits(size_t(tm.config().vocabSize));
  tm.prefill({1, 2, 3, 4, 5}, committed, logits.data());
  Ledger l;
  const auto drafted = draft.draft(9, dm.initialState(), l);
  const auto a = store.verify(drafted.tokens, committed, l);
  const auto c = replay.verify(drafted.tokens, committed, l);
  CHECK(a.logits.data == c.logits.data);
  for (int node = 0; node < tree.size(); ++node) {
    CAPTURE(node);
    IntState s1 = committed, s2 = committed, s3 = committed;
    store.commit(a, tree.pathTo(node), s1, l);
    replay.commit(c, tree.pathTo(node), s2, l);
    CHECK(s1 == s2);
    for (int v : tree.pathTo(node)) tm.decode(drafted.tokens[size_t(v)], s3, logits.data());
    CHECK(s1 == s3);
  }
  CHECK_THROWS_WITH(TreeModel<IntBackend>(IntBackend(tm), tree, [] {
                      TreeOptions o;
                      o.tileHeads = 4;
                      return o;
                    }(), ReplayBacktrack().plan(tm.config(), 4, tree.size(), b)),
                    Catch::Contains("whole groups of 8 heads"));
}

TEST_CASE("lossless on random trees, strategies, tiles and seeds", "[lossless]") {
  // Random BFS-numbered trees: each new node picks a parent among the
  // previous level's nodes or the current frontier, never earlier than the last parent.
  const uint64_t base = 20261125;
  for (uint64_t s = 0; s < 12; ++s) {
    Rng rng(base + s);
    std::vector<int> parents{-1};
    const int nodes = 2 + int(rng.below(14));
    for (int i = 1; i < nodes; ++i) {
      const int lo = parents.back() < 0 ? 0 : parents.back();
      parents.push_back(lo + int(rng.below(uint64_t(i - lo))));
    }
    const TokenTree tree = TokenTree::fromParents(parents);
    const char* strategies[] = {"store", "replay", "hybrid"};
    const std::string strategy = strategies[rng.below(3)];
    const int tiles[] = {0, 1, 2, 4, 8, 16};
    const int tile = tiles[rng.below(6)];
    CAPTURE(s, parents, strategy, tile);
    const Mamba2Weights dw = weightsFor("tiny-64", base + s), tw = weightsFor("tiny-256", s);
    const Mamba2Fp32 dm(dw), tm(tw);
    TreeOptions opt;
    opt.tileHeads = tile;
    const Fp32TreeModel draft(Fp32Backend(dm), tree, TreeOptions{}, planOf(strategy, dm, tree.size()));
    const Fp32TreeModel target(Fp32Backend(tm), tree, opt, planOf(strategy, tm, tree.size(), 1 << 16));
    const std::vector<int> prompt{int(rng.below(1024)), int(rng.below(1024))};
    const SpeculativeResult r = SpeculativeDecoder(draft, target).generate(prompt, 10);
    CHECK(r.tokens == targetOnlyGreedy(tm, prompt, 10));
    CHECK(r.fifoHighWater <= tree.fifoDepth());
  }
}
