#include "sim/speculative/SpeculativeScheduler.h"

#include <fmt/format.h>

#include <cstdlib>
#include <deque>
#include <memory>

#include "models/common/Error.h"
#include "models/common/Greedy.h"
#include "models/common/Matrix.h"
#include "models/speculative/AcceptanceModel.h"
#include "models/speculative/SpeculativeDecoder.h"
#include "models/speculative/StepAccounting.h"
#include "models/speculative/TreeModel.h"
#include "sim/platform/DramImage.h"
#include "sim/platform/Platform.h"
#include "sim/platform/Sequencer.h"

namespace specmamba::platform {

namespace {

uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// Bank keys of plain (chain) passes, apart from the tree nodes' 0..n-1.
constexpr int kChainKey = 1 << 21;

Ledger minus(const Ledger& a, const Ledger& b) {
  Ledger d;
  for (size_t i = 0; i < d.bytes.size(); ++i) d.bytes[i] = a.bytes[i] - b.bytes[i];
  for (size_t i = 0; i < d.ops.size(); ++i) d.ops[i] = a.ops[i] - b.ops[i];
  return d;
}

StreamSegment tagged(StreamSegment s, Traffic t, uint64_t bytes) {
  s.traffic = int(t);
  s.bytes = bytes;
  return s;
}

// One model of the pair on the platform: its memory map (with the
// speculative buffers above the layers), backtracking plan, sizes as laid
// out, and the stream programs of its passes.
class ModelSide {
 public:
  ModelSide(const ModelConfig& m, const AcceleratorConfig& a, uint64_t base, const TokenTree& tree,
            std::vector<LayerPlan> plan, const TreeOptions& options)
      : map_(m, a, base), tree_(tree), plan_(std::move(plan)) {
    f_ = LayerFootprint::of(m, a.weightBits());
    const LayerLayout& L0 = map_.layer(0);
    f_.weightBytes = 0;
    for (const auto& s : L0.segments) {
      if (s.category == StreamCategory::Weights || s.category == StreamCategory::Scales)
        f_.weightBytes += int64_t(s.beats) * a.busBytes();
    }
    f_.convStateBytes = int64_t(L0.convState.bytes);
    f_.ssmStateBytes = int64_t(L0.ssmState.bytes);
    accounting_ = std::make_unique<StepAccounting>(m, f_, tree, options, plan_);
    const int n = tree.size();
    const uint64_t rowBytes = uint64_t(m.dModel) * 4;
    treeIn_ = map_.allocate(uint64_t(n) * rowBytes);
    treeOut_ = map_.allocate(uint64_t(n) * rowBytes);
    const int64_t tiles = m.nHeads / accounting_->tileHeads();
    int parents = 0;
    for (int v = 0; v < n; ++v) parents += !tree.children(v).empty();
    spillWrite_ = tiles * parents * accounting_->tileBytes();
    spillRead_ = tiles * (n - 1) * accounting_->tileBytes();
    for (int l = 0; l < m.nLayer; ++l) {
      const LayerPlan& p = plan_[size_t(l)];
      nodeStore_.push_back(p.mode == BacktrackMode::Store && !p.onChip
                               ? map_.allocate(uint64_t(n) * uint64_t(f_.stateBytes()))
                               : Region{});
      cached_.push_back(p.mode == BacktrackMode::Replay
                            ? map_.allocate(uint64_t(n) * uint64_t(f_.cachedInputBytes()))
                            : Region{});
      spill_.push_back(accounting_->fifoSpills()
                           ? map_.allocate(uint64_t(std::max(spillWrite_, spillRead_)))
                           : Region{});
      decode_.push_back(program(l, true, true, true, {}));
    }
  }

  const MemoryMap& map() const { return map_; }
  const ModelConfig& model() const { return map_.model(); }
  const StepAccounting& accounting() const { return *accounting_; }
  const std::vector<LayerPlan>& plan() const { return plan_; }
  const LayerFootprint& footprint() const { return f_; }

  // A chain of `rows` tokens that commits its last state (prompt, decode);
  // `counted`: its traffic is tagged (a speculative step's decode).
  PassSpec chain(int rows, bool counted, int layers) const {
    PassSpec P;
    for (int t = 0; t < rows; ++t) {
      P.node.push_back(kChainKey + t);
      P.parent.push_back(t == 0 ? -1 : kChainKey + t - 1);
      P.pushes.push_back(false);
    }
    for (int l = 0; l < layers; ++l)
      P.steps.push_back({l, 0, rows, counted ? &decode_[size_t(l)] : &map_.layer(l), 0});
    P.embedding = rowsSegment(map_.embeddingIn(), rows, false);
    P.embeddingRegion = map_.embeddingIn();
    P.tail = {rowsSegment(map_.residualOut(), 1, true)};
    P.outRegion = map_.residualOut();
    return P;
  }

  // Tree nodes `nodes` (BFS order) through every layer in groups of TP.
  //  draftDepth >= 0: a draft level (committed state read at depth 0 only,
  //  whole states level to level); -1: the target's verification.
  PassSpec treePass(const std::vector<int>& nodes, int draftDepth, int tileHeads,
                    bool overlap) {
    const int n = int(nodes.size()), tp = map_.accel().tp, L = model().nLayer;
    const bool verify = draftDepth < 0;
    PassSpec P;
    for (int v : nodes) {
      P.node.push_back(v);
      P.parent.push_back(tree_.parent(v));
      P.pushes.push_back(!tree_.children(v).empty());
    }
    const int groups = int(ceilDiv(uint64_t(n), uint64_t(tp)));
    for (int l = 0; l < L; ++l) {
      const LayerPlan& p = plan_[size_t(l)];
      for (int g = 0; g < groups; ++g) {
        const int r0 = g * tp, rows = std::min(tp, n - r0);
        std::vector<StreamSegment> after;
        if (p.mode == BacktrackMode::Store && !p.onChip) {
          after.push_back(bytesSegment(nodeStore_[size_t(l)], uint64_t(rows) * uint64_t(f_.stateBytes()),
                                       true, StreamCategory::SsmState, Traffic::NodeStateStore));
        }
        if (p.mode == BacktrackMode::Replay) {
          after.push_back(bytesSegment(cached_[size_t(l)],
                                       uint64_t(rows) * uint64_t(f_.cachedInputBytes()), true,
                                       StreamCategory::Activations, Traffic::CachedInputsWrite));
        }
        if (verify && accounting_->fifoSpills() && g + 1 == groups) {
          after.push_back(bytesSegment(spill_[size_t(l)], uint64_t(spillWrite_), true,
                                       StreamCategory::SsmState, Traffic::FifoSpill));
          after.push_back(bytesSegment(spill_[size_t(l)], uint64_t(spillRead_), false,
                                       StreamCategory::SsmState, Traffic::FifoSpill));
        }
        const bool readCommitted = g == 0 && (verify || draftDepth == 0);
        programs_.push_back(program(l, readCommitted, g == 0, false, after));
        const bool onChip = p.mode == BacktrackMode::Store && p.onChip;
        P.steps.push_back({l, r0, rows, &programs_.back(), onChip ? f_.stateBytes() : 0});
      }
    }
    P.embedding = rowsSegment(treeIn_, n, false);
    P.embeddingRegion = treeIn_;
    P.tail = {rowsSegment(treeOut_, n, true)};
    P.outRegion = treeOut_;
    P.allRows = true;
    P.commit = false;
    P.tileHeads = verify ? tileHeads : 0;
    P.overlap = overlap;
    if (!verify) {
      P.fifoTileBytes = f_.ssmStateBytes;
    } else if (!accounting_->fifoSpills()) {
      P.fifoTileBytes = accounting_->tileBytes();
    }
    return P;
  }

  // The commit of an accepted path of which `processed` nodes went through the model.
  std::vector<CommitLayer> commitLayers(int processed) const {
    std::vector<CommitLayer> out;
    for (int l = 0; l < model().nLayer; ++l) {
      const LayerPlan& p = plan_[size_t(l)];
      const LayerLayout& M = map_.layer(l);
      CommitLayer c;
      c.layer = l;
      c.replay = p.mode == BacktrackMode::Replay;
      if (c.replay) {
        c.reads.push_back(bytesSegment(cached_[size_t(l)],
                                       uint64_t(processed) * uint64_t(f_.cachedInputBytes()), false,
                                       StreamCategory::Activations, Traffic::CachedInputsRead));
      }
      // A state kept in DRAM by "store" just becomes the committed one.
      if (c.replay || p.onChip) {
        c.writes.push_back(tagged(M.segments[size_t(M.convStateWrite)],
                                  Traffic::CommittedStateWrite, M.convState.bytes));
        c.writes.push_back(tagged(M.segments[size_t(M.ssmStateWrite)],
                                  Traffic::CommittedStateWrite, M.ssmState.bytes));
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  int64_t fifoBytes() const {
    return int64_t(tree_.fifoDepth()) * accounting_->tileBytes();
  }

 private:
  StreamSegment rowsSegment(const Region& r, int rows, bool write) const {
    const uint64_t bus = uint64_t(map_.accel().busBytes());
    return {r.address, ceilDiv(uint64_t(rows) * uint64_t(model().dModel) * 4, bus), write,
            StreamCategory::Activations};
  }
  StreamSegment bytesSegment(const Region& r, uint64_t bytes, bool write, StreamCategory c,
                             Traffic t) const {
    const uint64_t bus = uint64_t(map_.accel().busBytes());
    return tagged({r.address, ceilDiv(bytes, bus), write, c}, t, bytes);
  }

  // Layer l's stream, reads and writes of the committed state and the conv
  // weights kept or dropped, `after` appended (issued once the SSM is done).
  LayerLayout program(int l, bool readCommitted, bool readConvWeights, bool writeCommitted,
                      const std::vector<StreamSegment>& after) const {
    const LayerLayout& L = map_.layer(l);
    const uint64_t bus = uint64_t(map_.accel().busBytes());
    LayerLayout P = L;
    P.segments.clear();
    P.convStateRead = P.convWeightsRead = P.ssmStateRead = P.convStateWrite = P.ssmStateWrite = -1;
    std::vector<int> renumbered(L.segments.size(), -1);
    const auto add = [&](const StreamSegment& s) {
      P.segments.push_back(s);
      return int(P.segments.size()) - 1;
    };
    for (int i = 0; i < int(L.segments.size()); ++i) {
      const StreamSegment& s = L.segments[size_t(i)];
      if (i == L.convStateRead) {
        if (readCommitted)
          P.convStateRead = add(tagged(s, Traffic::CommittedStateRead, L.convState.bytes));
      } else if (i == L.ssmStateRead) {
        if (readCommitted)
          P.ssmStateRead = add(tagged(s, Traffic::CommittedStateRead, L.ssmState.bytes));
      } else if (i == L.convWeightsRead) {
        if (readConvWeights) P.convWeightsRead = add(s);
      } else if (i == L.convStateWrite) {
        if (writeCommitted)
          P.convStateWrite = add(tagged(s, Traffic::CommittedStateWrite, L.convState.bytes));
      } else if (i == L.ssmStateWrite) {
        if (writeCommitted)
          P.ssmStateWrite = add(tagged(s, Traffic::CommittedStateWrite, L.ssmState.bytes));
      } else {
        if (i == L.firstWeight) P.firstWeight = int(P.segments.size());
        renumbered[size_t(i)] = add(tagged(s, Traffic::Weights, s.beats * bus));
      }
    }
    for (int& w : P.weightSegment) w = renumbered[size_t(w)];
    P.afterSsm = int(P.segments.size());
    for (const auto& s : after) {
      if (s.beats > 0) P.segments.push_back(s);
    }
    return P;
  }

  MemoryMap map_;
  TokenTree tree_;
  std::vector<LayerPlan> plan_;
  LayerFootprint f_;
  std::unique_ptr<StepAccounting> accounting_;
  Region treeIn_, treeOut_;
  std::vector<Region> nodeStore_, cached_, spill_;
  int64_t spillWrite_ = 0, spillRead_ = 0;
  std::vector<LayerLayout> decode_;
  std::deque<LayerLayout> programs_;  // stable addresses: passes point into it
};

// What one phase cost: cycles, activity, tagged traffic, port beats.
struct PhaseCost {
  Cycle cycles = 0;
  WindowActivity activity;
  Ledger traffic;
  uint64_t portBytes = 0;
  PhaseCost& operator+=(const PhaseCost& o) {
    cycles += o.cycles;
    activity += o.activity;
    traffic += o.traffic;
    portBytes += o.portBytes;
    return *this;
  }
};

class SpeculativeScheduler : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(SpeculativeScheduler);
  SpeculativeScheduler(sc_core::sc_module_name name, const Experiment& e, ModelSide& target,
                       ModelSide& draft, Sequencer& targetSeq, Sequencer& draftSeq,
                       StreamPort& port, const Mamba2Int* targetGolden,
                       const Mamba2Int* draftGolden, SpeculativeRunResult& result,
                       std::function<void(int, int)> onStep)
      : sc_module(name),
        e_(e),
        s_(*e.speculative),
        target_(target),
        draft_(draft),
        tseq_(targetSeq),
        dseq_(draftSeq),
        port_(port),
        tg_(targetGolden),
        dg_(draftGolden),
        r_(result),
        onStep_(std::move(onStep)),
        period_(1e3 / e.accel.clockMhz, sc_core::SC_NS) {
    SC_THREAD(process);
  }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  Cycle now() const { return Cycle(sc_core::sc_time_stamp() / period_); }

  void process() {
    try {
      if (tg_) {
        functional();
      } else {
        timingOnly();
      }
    } catch (...) {
      error_ = std::current_exception();
    }
    sc_core::sc_stop();
  }

  uint64_t portBytes() const {
    const StreamPortStats st = port_.stats();
    return (st.readBeats + st.writeBeats) * uint64_t(e_.accel.busBytes());
  }

  // Runs `body` and measures it.
  template <class Body>
  PhaseCost phase(Body body) {
    const Cycle t0 = now();
    const Ledger l0 = total();
    const uint64_t b0 = portBytes();
    body();
    PhaseCost c;
    c.cycles = now() - t0;
    c.activity = tseq_.activity().window(t0, now());
    c.activity += dseq_.activity().window(t0, now());
    c.activity.cycles = c.cycles;  // the two models never run at once
    c.traffic = minus(total(), l0);
    c.portBytes = portBytes() - b0;
    return c;
  }
  Ledger total() const {
    Ledger l = tseq_.traffic();
    l += dseq_.traffic();
    return l;
  }

  // The target's plain decode pass (the baseline): same reuse rule as a plain run.
  void baseline(int token) {
    const int L = e_.model.nLayer, W = e_.simulatedLayers();
    PassSpec P = target_.chain(1, false, W);
    if (tg_) P.tokens = {token};
    const Cycle t0 = now();
    const size_t before = tseq_.layerEnds().size();
    tseq_.runPass(P);
    Cycle cycles = now() - t0;
    if (W < L) {
      const auto& ends = tseq_.layerEnds();
      cycles += (ends[before + size_t(W) - 1] - ends[before + size_t(W) - 2]) * Cycle(L - W);
    }
    r_.baselineCyclesPerToken = cycles;
    r_.baselineHostSeconds = e_.host.secondsPerToken(e_.model, true);
  }

  std::vector<std::vector<int>> levels() const {
    const TokenTree& t = s_.tree;
    std::vector<std::vector<int>> out(size_t(t.maxDepth()));
    for (int v = 0; v < t.size(); ++v) {
      if (!t.children(v).empty()) out[size_t(t.depth(v))].push_back(v);
    }
    return out;
  }
  std::vector<int> allNodes() const {
    std::vector<int> v(size_t(s_.tree.size()));
    for (int i = 0; i < s_.tree.size(); ++i) v[size_t(i)] = i;
    return v;
  }

  double draftHostSeconds() const {
    double s = 0;
    for (const auto& level : levels()) s += e_.host.secondsForRows(draft_.model(), int(level.size()));
    return s;
  }

  // Commit of `path` on both models; the draft decodes a leaf it never ran.
  void commitBoth(const std::vector<int>& path, int leafToken) {
    tseq_.commit(path, target_.commitLayers(int(path.size())));
    const bool leaf = s_.tree.children(path.back()).empty();
    std::vector<int> ran(path.begin(), path.end() - (leaf ? 1 : 0));
    dseq_.commit(ran, draft_.commitLayers(int(ran.size())));
    if (leaf) {
      PassSpec P = draft_.chain(1, true, draft_.model().nLayer);
      if (dg_) P.tokens = {leafToken};
      dseq_.runPass(P);
    }
  }

  void predict(const std::vector<int>& path) {
    const bool leaf = s_.tree.children(path.back()).empty();
    draft_.accounting().chargeDraft(r_.predicted);
    target_.accounting().chargeVerify(r_.predicted);
    target_.accounting().chargeCommit(int(path.size()), 0, r_.predicted);
    draft_.accounting().chargeCommit(int(path.size()) - leaf, leaf, r_.predicted);
  }

  void record(const PhaseCost& d, const PhaseCost& v, const PhaseCost& c) {
    r_.draftCycles += d.cycles;
    r_.verifyCycles += v.cycles;
    r_.commitCycles += c.cycles;
    PhaseCost all = d;
    all += v;
    all += c;
    r_.activity += all.activity;
    r_.measured += all.traffic;
    r_.portDramBytes += all.portBytes;
  }

  void functional() {
    const std::vector<int>& prompt = e_.prompt;
    const int tp = e_.accel.tp;
    // Both models consume prompt[0..n-2] in chunks of TP; the last prompt token is the first root.
    for (auto* side : {&target_, &draft_}) {
      Sequencer& seq = side == &target_ ? tseq_ : dseq_;
      for (int done = 0; done + 1 < int(prompt.size()); done += tp) {
        const int rows = std::min(tp, int(prompt.size()) - 1 - done);
        PassSpec P = side->chain(rows, false, side->model().nLayer);
        P.tokens.assign(prompt.begin() + done, prompt.begin() + done + rows);
        seq.runPass(P);
      }
    }
    const TokenTree& tree = s_.tree;
    const int n = tree.size(), V = e_.model.vocabSize, dmT = e_.model.dModel,
              dmD = draft_.model().dModel;
    int root = prompt.back();
    std::vector<float> logits(static_cast<size_t>(V));
    while (int(r_.tokens.size()) < e_.tokens) {
      std::vector<int> tokens(size_t(n), -1);
      tokens[0] = root;
      const PhaseCost d = phase([&] {
        int depth = 0;
        for (const auto& level : levels()) {
          PassSpec P = draft_.treePass(level, depth++, 0, s_.overlap);
          for (int v : level) P.tokens.push_back(tokens[size_t(v)]);
          const std::vector<int32_t> out = dseq_.runPass(P);
          for (size_t i = 0; i < level.size(); ++i) {
            dg_->head(out.data() + i * size_t(dmD), logits.data());
            const auto& kids = tree.children(level[i]);
            const std::vector<int> best = topK(logits.data(), V, int(kids.size()));
            for (size_t k = 0; k < kids.size(); ++k) tokens[size_t(kids[k])] = best[k];
          }
        }
      });
      Matrix targetLogits(n, V);
      const PhaseCost v = phase([&] {
        PassSpec P = target_.treePass(allNodes(), -1, s_.tileHeads, s_.overlap);
        P.tokens = tokens;
        const std::vector<int32_t> out = tseq_.runPass(P);
        for (int i = 0; i < n; ++i) tg_->head(out.data() + size_t(i) * size_t(dmT), targetLogits.row(i));
      });
      int bonus = -1;
      const std::vector<int> path = acceptGreedy(tree, tokens, targetLogits, bonus);
      const PhaseCost c = phase([&] { commitBoth(path, tokens[size_t(path.back())]); });
      predict(path);
      record(d, v, c);
      r_.hostSeconds += draftHostSeconds() + e_.host.secondsForRows(e_.model, n);
      r_.accepted.push_back(int(path.size()) - 1);
      for (size_t i = 1; i < path.size(); ++i) {
        if (int(r_.tokens.size()) < e_.tokens) r_.tokens.push_back(tokens[size_t(path[i])]);
      }
      if (int(r_.tokens.size()) < e_.tokens) r_.tokens.push_back(bonus);
      root = bonus;
      ++r_.steps;
      r_.generated = int(r_.tokens.size());
      if (onStep_) onStep_(r_.generated, e_.tokens);
    }
    baseline(root);
  }

  void timingOnly() {
    baseline(0);
    const TokenTree& tree = s_.tree;
    // Every step has the same draft and verify schedule; the commit depends
    // only on the accepted length: each is simulated once (from idle, as
    // every step starts after the host's turn) and the run composed from them.
    const PhaseCost d = phase([&] {
      int depth = 0;
      for (const auto& level : levels()) dseq_.runPass(draft_.treePass(level, depth++, 0, s_.overlap));
    });
    const PhaseCost v =
        phase([&] { tseq_.runPass(target_.treePass(allNodes(), -1, s_.tileHeads, s_.overlap)); });
    std::vector<int> firstChildPath{0};
    while (!tree.children(firstChildPath.back()).empty())
      firstChildPath.push_back(tree.children(firstChildPath.back()).front());
    std::vector<PhaseCost> commit;
    for (size_t k = 0; k < firstChildPath.size(); ++k) {
      const std::vector<int> path(firstChildPath.begin(), firstChildPath.begin() + long(k) + 1);
      commit.push_back(phase([&] { commitBoth(path, 0); }));
    }
    std::unique_ptr<AcceptanceSource> source;
    if (s_.acceptance == AcceptanceMode::Profile) {
      source = std::make_unique<ProfileAcceptance>(s_.profile, s_.acceptanceSeed);
    } else {
      source = std::make_unique<TraceAcceptance>(s_.traceFile);
    }
    r_.acceptanceSource = source->describe();
    const double host = draftHostSeconds() + e_.host.secondsForRows(e_.model, tree.size());
    while (r_.generated < e_.tokens) {
      const int k = source->next(tree.maxDepth());
      if (k + 1 > int(firstChildPath.size())) {
        throw Error(fmt::format("accepted length {} runs past a leaf of the tree \"{}\"", k,
                                s_.treeText));
      }
      const std::vector<int> path(firstChildPath.begin(), firstChildPath.begin() + k + 1);
      predict(path);
      record(d, v, commit[size_t(k)]);
      r_.hostSeconds += host;
      r_.accepted.push_back(k);
      r_.generated = std::min(e_.tokens, r_.generated + k + 1);
      ++r_.steps;
      if (onStep_) onStep_(r_.generated, e_.tokens);
    }
  }

  const Experiment& e_;
  const SpeculativeConfig& s_;
  ModelSide& target_;
  ModelSide& draft_;
  Sequencer& tseq_;
  Sequencer& dseq_;
  StreamPort& port_;
  const Mamba2Int* tg_;
  const Mamba2Int* dg_;
  SpeculativeRunResult& r_;
  std::function<void(int, int)> onStep_;
  sc_core::sc_time period_;  // one accelerator cycle
  std::exception_ptr error_;
};

}  // namespace

namespace {
BacktrackBudget platformBudget(const Experiment& e) {
  BacktrackBudget b;
  b.onChipBytes = int64_t(e.speculative->nodeStoreKiB) * 1024;
  b.dramBytesPerSecond = e.platform.memory.peakBandwidthGBs * 1e9;
  b.ssmUpdatesPerSecond = double(e.accel.pp) * e.accel.clockMhz * 1e6;
  return b;
}
}  // namespace

SpeculativeRunResult runSpeculative(const Experiment& e, const Mamba2Int* target,
                                    const Mamba2Int* draft,
                                    const std::function<void(int, int)>& onStep) {
  if (!e.speculative) throw Error("runSpeculative: the experiment has no \"speculative\" block");
  const SpeculativeConfig& s = *e.speculative;
  const bool functional = e.mode == RunMode::Functional;
  if (functional != (target != nullptr) || functional != (draft != nullptr)) {
    throw Error("runSpeculative: a functional run needs both golden models, a timing-only run none");
  }
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

  const int bits = e.accel.weightBits();
  const PairPlan plans = planPair(*makeBacktrackPolicy(s.backtrack), s.draft, e.model, bits,
                                  s.tree.size(), platformBudget(e));
  TreeOptions topt;
  topt.tileHeads = s.tileHeads;
  topt.weightBits = bits;
  topt.tokenParallel = e.accel.tp;
  topt.fifoBytes = int64_t(s.fifoKiB) * 1024;
  TreeOptions dopt = topt;
  dopt.tileHeads = 0;  // the draft expands level by level with whole states
  ModelSide tside(e.model, e.accel, 0, s.tree, plans.target, topt);
  ModelSide dside(s.draft, s.draftAccel, tside.map().totalBytes(), s.tree, plans.draft, dopt);

  const auto port = makeAcceleratorPort(e);
  std::unique_ptr<DramImage> timage, dimage;
  if (functional) {
    timage = std::make_unique<DramImage>(tside.map(), target->weights(), target->initialState());
    dimage = std::make_unique<DramImage>(dside.map(), draft->weights(), draft->initialState());
  }
  Experiment de = e;  // the draft's Sequencer sees the draft's sizes
  de.model = s.draft;
  de.accel = s.draftAccel;
  SequencerSetup ts, ds;
  ts.experiment = &e;
  ts.map = &tside.map();
  ts.port = port.get();
  ts.image = timage.get();
  ts.golden = target;
  ts.layersPerPass = e.model.nLayer;
  ts.driven = true;
  ds = ts;
  ds.experiment = &de;
  ds.map = &dside.map();
  ds.image = dimage.get();
  ds.golden = draft;
  ds.layersPerPass = s.draft.nLayer;
  Sequencer tseq("target", ts);
  Sequencer dseq("draft", ds);
  SpeculativeRunResult r;
  SpeculativeScheduler sched("speculative", e, tside, dside, tseq, dseq, *port, target, draft, r,
                             onStep);
  try {
    sc_core::sc_start();
  } catch (const sc_core::sc_report& ex) {
    throw Error(fmt::format("SystemC: {}", ex.what()));
  }
  tseq.rethrow();
  dseq.rethrow();
  sched.rethrow();
  r.targetPlan = plans.target;
  r.draftPlan = plans.draft;
  r.fifoSpills = tside.accounting().fifoSpills();
  r.tileBytes = tside.accounting().tileBytes();
  r.fifoBytes = tside.fifoBytes();
  for (int d = 0; d < s.tree.maxDepth(); ++d) {
    int parents = 0;
    for (int v = 0; v < s.tree.size(); ++v)
      parents += s.tree.depth(v) == d && !s.tree.children(v).empty();
    r.draftLevelStateBytes = std::max(
        r.draftLevelStateBytes, int64_t(parents) * s.draft.nLayer * dside.footprint().ssmStateBytes);
  }
  r.port = port->stats();
  if (r.acceptanceSource.empty()) r.acceptanceSource = "functional (greedy, both models run)";
  return r;
}

}  // namespace specmamba::platform
