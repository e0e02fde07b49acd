#pragma once
// One model (draft or target) of speculative decoding: drafting a token
// tree, verifying a whole tree in one pass, and committing the accepted path
// with the planned backtracking strategy. Generic over the golden model: the
// Backend (Fp32Backend, IntBackend) exposes a layer's phases and state types.
//
// Verification (SPEC §5, "linear in parallel, SSM in series"): per layer the
// pre-norm + in_proj and the gate + norm + out_proj run batched over every
// node (one weight pass per TP tile of nodes); the conv of each node reads its
// ancestors' inputs; the SSM walks the nodes one by one in BFS order, head
// tile by head tile, each child reading its parent's state tile from a
// bounded FIFO (StateFifo). Every phase is the model's own decode code, so
// results are bitwise those of decoding the same tokens one by one.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "models/common/Error.h"
#include "models/common/Matrix.h"
#include "models/speculative/Backtrack.h"
#include "models/speculative/StateFifo.h"
#include "models/speculative/StepAccounting.h"
#include "models/speculative/TokenTree.h"
#include "models/speculative/Traffic.h"

namespace specmamba {

// Top-k token ids of `logits`, highest first, ties to the lower id.
std::vector<int> topK(const float* logits, int vocab, int k);

template <class Backend>
struct TreePass {
  std::vector<int> tokens;      // per node
  std::vector<bool> processed;  // node went through the model
  Matrix logits;                // [nodes, vocab] (rows of processed nodes)
  // Per layer, per node: conv inputs (conv windows follow the path), SSM
  // inputs (what replay keeps) and post-states (what store keeps).
  std::vector<std::vector<typename Backend::ConvIn>> convIn;
  std::vector<std::vector<typename Backend::SsmIn>> ssmIn;
  std::vector<std::vector<typename Backend::SsmState>> ssmAfter;
  int fifoHighWater = 0;
};

template <class Backend>
class TreeModel {
 public:
  using State = typename Backend::State;
  using LayerSt = typename Backend::LayerSt;
  using Pass = TreePass<Backend>;

  // The backend is a small handle on a model that must outlive this object.
  TreeModel(Backend backend, const TokenTree& tree, const TreeOptions& options,
            std::vector<LayerPlan> plan)
      : b_(std::move(backend)),
        tree_(tree),
        accounting_(b_.config(), tree, options, std::move(plan)),
        tile_(accounting_.tileHeads()) {
    b_.checkTile(tile_);
  }

  const Backend& backend() const { return b_; }
  const TokenTree& tree() const { return tree_; }
  const std::vector<LayerPlan>& plan() const { return accounting_.plan(); }
  const StepAccounting& accounting() const { return accounting_; }

  // Target: all nodes in one pass; tokens[i] is node i's token.
  Pass verify(const std::vector<int>& tokens, const State& committed, Ledger& ledger) const {
    const int n = tree_.size();
    if (int(tokens.size()) != n) {
      throw Error(fmt::format("verify: {} tokens for a tree of {} nodes", tokens.size(), n));
    }
    Pass pass = emptyPass();
    pass.tokens = tokens;
    std::vector<int> nodes(static_cast<size_t>(n));
    std::iota(nodes.begin(), nodes.end(), 0);
    auto residual = b_.embed(tokens);
    for (int l = 0; l < b_.config().nLayer; ++l) {
      runLayer(l, nodes, residual, committed.layers[size_t(l)], pass, nullptr);
    }
    for (int v = 0; v < n; ++v) {
      b_.head(residual, v, pass.logits.row(v));
      pass.processed[size_t(v)] = true;
    }
    accounting_.chargeVerify(ledger);
    return pass;
  }

  // Draft: expands the tree level by level from `rootToken`, each node's
  // children being its top-k tokens (k = its number of children), highest first.
  Pass draft(int rootToken, const State& committed, Ledger& ledger) const {
    const auto& c = b_.config();
    const int n = tree_.size();
    Pass pass = emptyPass();
    pass.tokens[0] = rootToken;
    // Parents' whole post-states per layer, kept level to level.
    std::vector<std::vector<typename Backend::SsmState>> post(
        size_t(c.nLayer), std::vector<typename Backend::SsmState>(size_t(n)));
    for (int d = 0; d < tree_.maxDepth(); ++d) {
      std::vector<int> level, tokens;
      for (int v = 0; v < n; ++v) {
        if (tree_.depth(v) == d && !tree_.children(v).empty()) {
          level.push_back(v);
          tokens.push_back(pass.tokens[size_t(v)]);
        }
      }
      auto residual = b_.embed(tokens);
      for (int l = 0; l < c.nLayer; ++l) {
        runLayer(l, level, residual, committed.layers[size_t(l)], pass, &post[size_t(l)]);
      }
      for (size_t r = 0; r < level.size(); ++r) {
        const int v = level[r];
        b_.head(residual, int(r), pass.logits.row(v));
        pass.processed[size_t(v)] = true;
        const auto& kids = tree_.children(v);
        const std::vector<int> best = topK(pass.logits.row(v), c.vocabSize, int(kids.size()));
        for (size_t k = 0; k < kids.size(); ++k) pass.tokens[size_t(kids[k])] = best[k];
      }
    }
    accounting_.chargeDraft(ledger);
    return pass;
  }

  // Rebuilds `committed` (the state the pass started from) as the state after
  // the accepted path root..ck. A path node the pass did not process (a draft
  // leaf) is decoded on top.
  void commit(const Pass& pass, const std::vector<int>& path, State& committed,
              Ledger& ledger) const {
    const auto& c = b_.config();
    size_t done = 0;
    while (done < path.size() && pass.processed[size_t(path[done])]) ++done;
    if (done > 0) {
      const int last = path[done - 1];
      for (int l = 0; l < c.nLayer; ++l) {
        LayerSt& st = committed.layers[size_t(l)];
        auto win = windowBefore(l, last, pass, st);
        b_.pushConvInput(win, pass.convIn[size_t(l)][size_t(last)]);
        if (plan()[size_t(l)].mode == BacktrackMode::Store) {
          b_.ssmState(st) = pass.ssmAfter[size_t(l)][size_t(last)];
        } else {
          auto y = b_.outputs(1);
          for (size_t i = 0; i < done; ++i) {
            const int v = path[i];
            b_.ssmHeads(l, 0, c.nHeads, pass.ssmIn[size_t(l)][size_t(v)], b_.ssmState(st), y, 0);
          }
        }
        b_.window(st) = std::move(win);
      }
    }
    std::vector<float> logits(static_cast<size_t>(c.vocabSize));
    for (size_t i = done; i < path.size(); ++i) {
      b_.decode(pass.tokens[size_t(path[i])], committed, logits.data());
    }
    accounting_.chargeCommit(int(done), int(path.size() - done), ledger);
  }

 private:
  Pass emptyPass() const {
    const auto& c = b_.config();
    const int n = tree_.size();
    Pass pass;
    pass.tokens.assign(size_t(n), -1);
    pass.processed.assign(size_t(n), false);
    pass.logits = Matrix(n, c.vocabSize);
    pass.convIn.assign(size_t(c.nLayer), std::vector<typename Backend::ConvIn>(size_t(n)));
    pass.ssmIn.assign(size_t(c.nLayer), std::vector<typename Backend::SsmIn>(size_t(n)));
    pass.ssmAfter.assign(size_t(c.nLayer), std::vector<typename Backend::SsmState>(size_t(n)));
    return pass;
  }

  // The conv window before `node`: the committed window with the inputs of
  // the node's last d_conv-1 ancestors shifted in, oldest first.
  typename Backend::Window windowBefore(int l, int node, const Pass& pass,
                                        const LayerSt& committed) const {
    std::vector<int> ancestors;
    for (int v = tree_.parent(node); v >= 0 && int(ancestors.size()) < b_.config().dConv - 1;
         v = tree_.parent(v)) {
      ancestors.push_back(v);
    }
    auto win = b_.window(committed);
    for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
      b_.pushConvInput(win, pass.convIn[size_t(l)][size_t(*it)]);
    }
    return win;
  }

  // Runs `nodes` (one BFS level, or the whole tree) through layer `l`; parent
  // states come from the FIFO walk (post == nullptr) or from `post`.
  template <class Batch>
  void runLayer(int l, const std::vector<int>& nodes, Batch& residual, const LayerSt& committed,
                Pass& pass, std::vector<typename Backend::SsmState>* post) const {
    const auto& c = b_.config();
    const int n = int(nodes.size());
    const bool keepStates = plan()[size_t(l)].mode == BacktrackMode::Store;
    const auto zx = b_.project(l, residual);
    for (int r = 0; r < n; ++r) {
      const int v = nodes[size_t(r)];
      pass.convIn[size_t(l)][size_t(v)] = b_.convInput(zx, r);
      pass.ssmIn[size_t(l)][size_t(v)] = b_.prepare(l, windowBefore(l, v, pass, committed),
                                                    pass.convIn[size_t(l)][size_t(v)], zx, r);
    }
    auto y = b_.outputs(n);
    const auto& committedSsm = b_.ssmState(committed);
    if (post == nullptr) {
      // Verification: BFS walk per head tile, parents' tiles from the FIFO.
      if (keepStates) {
        for (int v : nodes) pass.ssmAfter[size_t(l)][size_t(v)] = committedSsm;
      }
      for (int h0 = 0; h0 < c.nHeads; h0 += tile_) {
        const int h1 = h0 + tile_;
        StateFifo<typename Backend::SsmState> fifo(tree_.fifoDepth());
        for (int r = 0; r < n; ++r) {
          const int v = nodes[size_t(r)];
          const int parent = tree_.parent(v);
          auto tile = v == 0 ? b_.sliceHeads(committedSsm, h0, h1) : fifo.front(parent);
          if (parent >= 0 && tree_.children(parent).back() == v) fifo.pop();
          b_.ssmHeads(l, h0, h1, pass.ssmIn[size_t(l)][size_t(v)], tile, y, r);
          if (keepStates) b_.storeHeads(pass.ssmAfter[size_t(l)][size_t(v)], tile, h0, h1);
          if (!tree_.children(v).empty()) fifo.push(v, std::move(tile));
        }
        pass.fifoHighWater = std::max(pass.fifoHighWater, fifo.highWater());
      }
    } else {
      // Drafting, level by level: parents' whole states were kept in `post`.
      auto& states = *post;
      for (int r = 0; r < n; ++r) {
        const int v = nodes[size_t(r)];
        auto state = v == 0 ? committedSsm : states[size_t(tree_.parent(v))];
        b_.ssmHeads(l, 0, c.nHeads, pass.ssmIn[size_t(l)][size_t(v)], state, y, r);
        if (keepStates) pass.ssmAfter[size_t(l)][size_t(v)] = state;
        if (!tree_.children(v).empty()) states[size_t(v)] = std::move(state);
      }
    }
    b_.finish(l, zx, y, residual);
  }

  Backend b_;
  TokenTree tree_;
  StepAccounting accounting_;
  int tile_;
};

}  // namespace specmamba
