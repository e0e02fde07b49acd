#include "sim/platform/Sequencer.h"

#include <algorithm>

namespace specmamba::platform {

using intops::kGroup;
using intops::PotVector;

// What the node bank keeps of a row in one layer: the conv window before it,
// the window and SSM state after it, its conv input, SSM inputs and in_proj
// row (what replay rebuilds a state from).
struct NodeData {
  intops::ConvWindow window, post;
  intops::PotVector convIn;
  Mamba2Int::SsmInputs in;
  intops::SsmState state;
  std::vector<int32_t> zx;
};

// The on-chip vectors of the layer in flight (functional runs).
struct Sequencer::LayerData {
  std::vector<int32_t> u, zx, yz, out;
  std::vector<int8_t> xq;
  std::vector<uint8_t> xs;
  intops::IntConv conv;
  // Per layer: node key -> its data; key -1 holds the committed state.
  std::vector<std::map<int, NodeData>> bank;

  LayerData(const ModelConfig& m, int tp)
      : u(size_t(tp) * size_t(std::max(m.dModel, m.dInner))),
        zx(size_t(tp) * size_t(m.inProjOut())),
        yz(size_t(tp) * size_t(m.dInner)),
        out(size_t(tp) * size_t(m.dModel)),
        xq(u.size()),
        xs(u.size() / kGroup),
        bank(size_t(m.nLayer)) {}
};

namespace {
// Bank keys of a plain pass's rows (apart from the tree nodes' keys 0..).
constexpr int kPlainKey = 1 << 20;
}  // namespace

// The MMU's view of one linear layer's weights in the stream.
class Sequencer::Feed final : public WeightFeed {
 public:
  using OnRows = std::function<void(int tile, const int32_t* y)>;
  Feed(Sequencer& s, int block, const std::vector<StreamSegment>& segs, int firstSegment,
       const LinearLayout& L, std::function<int(int64_t)> segmentThrough,
       const intops::IntLinear* proto, OnRows onRows)
      : s_(s),
        block_(block),
        next_(firstSegment),
        L_(L),
        through_(std::move(segmentThrough)),
        proto_(proto),
        onRows_(std::move(onRows)) {
    for (const auto& seg : segs) {
      if (seg.category == StreamCategory::Weights) weightBeats_ += seg.beats;
      if (seg.category == StreamCategory::Scales) scaleBeats_ += seg.beats;
    }
  }

  WeightTile acquire(int t) override {
    const int last = through_(L_.beatsThroughTile(t, s_.accel_.busBytes()));
    for (; next_ <= last; ++next_) s_.waitSegment(block_, next_);
    WeightTile w;
    w.row0 = t * L_.cop;
    w.rows = L_.tileRows(t);
    w.packedBytes = int64_t(w.rows) * L_.tileBytes / L_.cop;
    if (s_.setup_.image) {
      tile_ = s_.setup_.image->linearTile(L_, t, *proto_);
      w.weights = &tile_;
      w.packed = s_.setup_.image->at(L_.weights.address + uint64_t(L_.tileOffset(t)));
    }
    return w;
  }

  void release(int t, const int32_t* y) override {
    const uint64_t bus = uint64_t(s_.accel_.busBytes());
    const uint64_t before =
        uint64_t(t == 0 ? L_.weightBeatsBefore : L_.beatsThroughTile(t - 1, int64_t(bus)));
    const uint64_t through = uint64_t(L_.beatsThroughTile(t, int64_t(bus)));
    // Scale beats leave the buffer in proportion to the weight beats.
    const uint64_t scales =
        scaleBeats_ * through / weightBeats_ - scaleBeats_ * before / weightBeats_;
    s_.returnCredits(through - before + scales);
    onRows_(t, y);
  }

 private:
  Sequencer& s_;
  int block_;
  int next_;
  const LinearLayout& L_;
  std::function<int(int64_t)> through_;
  const intops::IntLinear* proto_;
  OnRows onRows_;
  uint64_t weightBeats_ = 0, scaleBeats_ = 0;
  intops::IntLinear tile_;
};

}  // namespace specmamba::platform

namespace specmamba::platform {

Sequencer::Sequencer(sc_core::sc_module_name name, const SequencerSetup& setup)
    : sc_module(name),
      setup_(setup),
      model_(setup.map->model()),
      accel_(setup.map->accel()),
      layersPerPass_(setup.layersPerPass) {
  ctx_.model = &model_;
  ctx_.accel = &accel_;
  ctx_.period = sc_core::sc_time(1e3 / accel_.clockMhz, sc_core::SC_NS);
  for (const auto& [unit, impl] : accel_.units) {
    if (impl != "fast" && !clock_)
      clock_ = std::make_unique<sc_core::sc_clock>("clock", ctx_.period);
  }
  ctx_.clock = clock_.get();
  ctx_.log = &log_;
  ctx_.golden = setup.golden;
  units_ = makeUnits(ctx_);
  if (setup.image) data_ = std::make_unique<LayerData>(model_, accel_.tp);

  // Rows of the stored in_proj order each SSM step waits for.
  const std::vector<int>& order = setup.map->layer(0).inProj.order;
  std::vector<int> stored(order.size());
  for (size_t i = 0; i < order.size(); ++i) stored[size_t(order[i])] = int(i);
  const int D = model_.dInner, N = model_.dState, P = model_.headdim, H = model_.nHeads;
  const auto need = [&](int from, int count, int atLeast) {
    for (int r = from; r < from + count; ++r) atLeast = std::max(atLeast, stored[size_t(r)] + 1);
    return atLeast;
  };
  needBC_ = need(2 * D, 2 * N, 0);
  for (int h = 0; h < H; h += kGroup) {
    int n = need(2 * D + 2 * N + h, kGroup, needBC_);  // dt of the group
    n = need(D + h * P, kGroup * P, n);                // x
    needGroup_.push_back(need(h * P, kGroup * P, n));  // z
  }

  creditCapacity_ = uint64_t(accel_.weightBufferBytes / accel_.busBytes());
  const auto rowBeats = [&](int rows) {
    return uint64_t((int64_t(rows) * model_.dModel * 4 + accel_.busBytes() - 1) /
                    accel_.busBytes());
  };
  for (int t = 0; t <= accel_.tp; ++t) {
    embeddingRead_.push_back(
        {{setup.map->embeddingIn().address, rowBeats(t), false, StreamCategory::Activations}});
  }
  residualWrite_ = {
      {setup.map->residualOut().address, rowBeats(1), true, StreamCategory::Activations}};

  SC_THREAD(readerProcess);
  if (!setup.driven) SC_THREAD(mainProcess);
  SC_THREAD(ssmProcess);
}

Sequencer::~Sequencer() = default;

Cycle Sequencer::now() const { return ctx_.now(); }

void Sequencer::waitUntil(Cycle c) {
  const Cycle t = now();
  if (c > t) wait(ctx_.period * double(c - t));
}

void Sequencer::waitSegment(int block, int seg) {
  waitFor(issued_, [&] { return int(arrivals_[block].size()) > seg; });
  waitUntil(arrivals_[block][size_t(seg)]);
}

void Sequencer::issue(int block, const StreamSegment& s) {
  if (s.category == StreamCategory::Weights || s.category == StreamCategory::Scales) {
    waitFor(credit_, [&] { return creditsUsed_ + s.beats <= creditCapacity_; });
    creditsUsed_ += s.beats;
  }
  const Cycle issued = now();
  Cycle notBefore = issued;
  const bool loopStart = s.category == StreamCategory::Scales ||
                         (s.category == StreamCategory::Weights && !afterScales_);
  if (accel_.portIssue == "loop" && loopStart) notBefore = std::max(notBefore, lastWeightArrival_);
  afterScales_ = s.category == StreamCategory::Scales;
  arrivals_[block].push_back(setup_.port->transfer(s, notBefore));
  count(s);
  if (s.category == StreamCategory::Weights) lastWeightArrival_ = arrivals_[block].back();
  if (setup_.traceLayer >= 0 && block == blockKey(0, 1 + setup_.traceLayer)) {
    traced_.push_back({issued, arrivals_[block].back(), s.write, s.category});
  }
  issued_.notify(sc_core::SC_ZERO_TIME);
}

void Sequencer::returnCredits(uint64_t beats) {
  creditsUsed_ -= beats;
  credit_.notify(sc_core::SC_ZERO_TIME);
}

void Sequencer::readerThread() {
  for (int p = 0; setup_.driven || p < int(setup_.passTokens.size()); ++p) {
    waitFor(hostEvent_, [&] { return hostDone_ > p; });
    const PassSpec& P = *passes_[size_t(p)];
    issue(blockKey(p, 0), P.embedding);
    for (int st = 0; st < int(P.steps.size()); ++st) {
      const int block = blockKey(p, 1 + st), li = instBase_[size_t(p)] + st;
      const LayerLayout& L = *P.steps[size_t(st)].program;
      for (int i = 0; i < int(L.segments.size()); ++i) {
        if (i == L.convStateWrite) waitFor(gateEvent_, [&] { return convReady_ > li; });
        if (i == L.ssmStateWrite || i >= L.afterSsm)
          waitFor(gateEvent_, [&] { return ssmReady_ > li; });
        issue(block, L.segments[size_t(i)]);
      }
    }
    const int tail = blockKey(p, int(P.steps.size()) + 1);
    if (accel_.lmHead == LmHeadPlacement::Host) {
      waitFor(residualEvent_, [&] { return residualReady_ > p; });
    }
    for (const StreamSegment& s : P.tail) issue(tail, s);
  }
}

PassSpec Sequencer::plainPass(int T) const {
  PassSpec P;
  for (int t = 0; t < T; ++t) {
    P.node.push_back(kPlainKey + t);
    P.parent.push_back(t == 0 ? -1 : kPlainKey + t - 1);
    P.pushes.push_back(false);
  }
  for (int l = 0; l < layersPerPass_; ++l) P.steps.push_back({l, 0, T, &setup_.map->layer(l), 0});
  P.embedding = embeddingRead_[size_t(T)][0];
  P.embeddingRegion = setup_.map->embeddingIn();
  P.tail = accel_.lmHead == LmHeadPlacement::Accelerator ? setup_.map->lmHeadSegments()
                                                         : residualWrite_;
  P.outRegion = setup_.map->residualOut();
  return P;
}

// The host's share of a token (embedding, LM head) is added to the report
// analytically (HostModel); in simulated time the next pass starts at once,
// so a ticking accelerator clock (rtl units) never idles through it.
void Sequencer::mainThread() {
  const int passes = int(setup_.passTokens.size());
  std::vector<float> logits(size_t(model_.vocabSize));
  size_t prompted = 0;  // prompt tokens already sent
  for (int p = 0; p < passes; ++p) {
    PassSpec P = plainPass(setup_.passTokens[size_t(p)]);
    if (setup_.image) {
      for (size_t t = 0; t < P.node.size(); ++t) {
        P.tokens.push_back(prompted < setup_.prompt.size() ? setup_.prompt[prompted++]
                                                           : generated_.back());
      }
    }
    const std::vector<int32_t> last = runPass(P);
    if (setup_.image && prompted == setup_.prompt.size()) {
      // Host: final norm + LM head over the residual the accelerator wrote back.
      setup_.golden->head(last.data(), logits.data());
      generated_.push_back(int(std::max_element(logits.begin(), logits.end()) - logits.begin()));
    }
    if (setup_.onPass) setup_.onPass(p + 1);
  }
  sc_core::sc_stop();  // the clock would tick forever
}

std::vector<int32_t> Sequencer::runPass(const PassSpec& spec) {
  const int p = int(passes_.size());
  const int prevSteps = p == 0 ? 0 : int(passes_.back()->steps.size());
  blockBase_.push_back(p == 0 ? 0 : blockBase_.back() + prevSteps + 2);
  instBase_.push_back(p == 0 ? 0 : instBase_.back() + prevSteps);
  passes_.push_back(std::make_unique<PassSpec>(spec));
  const PassSpec& P = *passes_.back();
  for (int st = 0; st < int(P.steps.size()); ++st) instances_.push_back({p, st});
  const int dm = model_.dModel, T = int(P.node.size());
  std::vector<int32_t> residual(size_t(std::max(T, accel_.tp)) * size_t(dm));
  passStart_.push_back(now());
  if (setup_.image) {
    for (int t = 0; t < T; ++t)
      setup_.golden->embed(P.tokens[size_t(t)], residual.data() + size_t(t) * size_t(dm));
    setup_.image->writeWords(P.embeddingRegion, residual.data(), T * dm);
  }
  ++hostDone_;
  hostEvent_.notify(sc_core::SC_ZERO_TIME);
  waitSegment(blockKey(p, 0), 0);
  if (setup_.image) setup_.image->readWords(P.embeddingRegion, residual.data(), T * dm);
  for (int st = 0; st < int(P.steps.size()); ++st) runLayer(p, st, residual);
  // The rows whose residual goes back: all of them, or the last (whose successor is predicted).
  const int first = P.allRows ? 0 : T - 1, back = T - first;
  const int tail = blockKey(p, int(P.steps.size()) + 1);
  if (accel_.lmHead == LmHeadPlacement::Accelerator) {
    runLmHead(p);
  } else {
    if (setup_.image)
      setup_.image->writeWords(P.outRegion, residual.data() + size_t(first) * size_t(dm), back * dm);
    ++residualReady_;
    residualEvent_.notify(sc_core::SC_ZERO_TIME);
    for (int i = 0; i < int(P.tail.size()); ++i) waitSegment(tail, i);
  }
  passEnd_.push_back(now());
  // The reader has moved past the previous pass (it issued this pass's blocks after it).
  if (p > 0) arrivals_.erase(arrivals_.find(blockKey(p - 1, 0)), arrivals_.find(blockKey(p, 0)));
  std::vector<int32_t> out;
  if (setup_.image) {
    out.resize(size_t(back) * size_t(dm));
    setup_.image->readWords(P.outRegion, out.data(), back * dm);
  }
  return out;
}

void Sequencer::runLayer(int p, int st, std::vector<int32_t>& residual) {
  const PassSpec& P = *passes_[size_t(p)];
  const PassStep& step = P.steps[size_t(st)];
  const int l = step.layer, T = step.rows, r0 = step.row0;
  const int block = blockKey(p, 1 + st), li = instBase_[size_t(p)] + st;
  const LayerLayout& L = *step.program;
  const IntLayerWeights* w = setup_.golden ? &setup_.golden->weights().layers[size_t(l)] : nullptr;
  LayerData* d = data_.get();
  const int bits = accel_.weightBits(), dm = model_.dModel, D = model_.dInner, rows = L.inProj.rows;
  // Row t of a [T][n] vector of the layer data, null in timing-only runs.
  const auto row = [d](auto LayerData::*v, int t, int n) {
    return d ? (d->*v).data() + size_t(t) * size_t(n) : nullptr;
  };
  const auto res = [&](int t) {
    return d ? residual.data() + size_t(r0 + t) * size_t(dm) : nullptr;
  };

  for (int t = 0; t < T; ++t) {
    units_.norm->rmsnorm({dm, w ? &w->norm : nullptr, w ? w->normW.data() : nullptr, res(t),
                          row(&LayerData::u, t, dm)});
  }
  units_.quant->quantize({T * dm, bits, row(&LayerData::u, 0, 0), row(&LayerData::xq, 0, 0),
                          row(&LayerData::xs, 0, 0)});
  rowsDone_ = 0;
  ssmStarted_ = li + 1;
  ssmStartEvent_.notify(sc_core::SC_ZERO_TIME);

  const auto through = [&L](int64_t beats) { return L.segmentThroughWeightBeat(beats); };
  Feed in(*this, block, L.segments, L.firstWeight, L.inProj, through, w ? &w->inProj : nullptr,
          [&](int tile, const int32_t* y) {
            const int n = L.inProj.tileRows(tile);
            for (int t = 0; y && t < T; ++t) {
              for (int r = 0; r < n; ++r) {
                d->zx[size_t(t) * size_t(rows) +
                      size_t(L.inProj.order[size_t(tile * L.inProj.cop + r)])] =
                    y[size_t(t) * size_t(n) + size_t(r)];
              }
            }
            rowsDone_ = tile * L.inProj.cop + n;
            rowsEvent_.notify(sc_core::SC_ZERO_TIME);
          });
  units_.mmu->linear({LinearKind::InProj, l, rows, L.inProj.cols, T, L.inProj.tiles,
                      row(&LayerData::xq, 0, 0), row(&LayerData::xs, 0, 0)},
                     in);

  waitFor(ssmDoneEvent_, [&] { return ssmReady_ > li; });
  for (int t = 0; t < T; ++t) {
    units_.norm->rmsnorm({D, w ? &w->gatedNorm : nullptr, w ? w->gatedNormW.data() : nullptr,
                          row(&LayerData::yz, t, D), row(&LayerData::u, t, D)});
    if (setup_.experiment->rotation == RotationMode::Online)
      units_.htu->rotate({D, row(&LayerData::u, t, D)});
  }
  units_.quant->quantize({T * D, bits, row(&LayerData::u, 0, 0), row(&LayerData::xq, 0, 0),
                          row(&LayerData::xs, 0, 0)});
  Feed out(*this, block, L.segments, L.firstWeight, L.outProj, through,
           w ? &w->outProj : nullptr, [&](int tile, const int32_t* y) {
             const int n = L.outProj.tileRows(tile);
             for (int t = 0; y && t < T; ++t) {
               std::copy(y + size_t(t) * size_t(n), y + size_t(t + 1) * size_t(n),
                         d->out.begin() + long(t) * dm + tile * L.outProj.cop);
             }
           });
  units_.mmu->linear({LinearKind::OutProj, l, L.outProj.rows, L.outProj.cols, T, L.outProj.tiles,
                      row(&LayerData::xq, 0, 0), row(&LayerData::xs, 0, 0)},
                     out);
  units_.residual->add({T * dm, res(0), row(&LayerData::out, 0, 0)});
  layerEnd_.push_back(now());
}

void Sequencer::runLmHead(int p) {
  // Timing-only (Experiment rejects a functional run with the LM head on the
  // accelerator: the golden model keeps it in FP32 on the host).
  const LinearLayout& L = setup_.map->lmHead();
  const int dm = model_.dModel;
  units_.norm->rmsnorm({dm, nullptr, nullptr, nullptr, nullptr});
  units_.quant->quantize({dm, accel_.weightBits(), nullptr, nullptr, nullptr});
  const MemoryMap& map = *setup_.map;
  Feed head(
      *this, blockKey(p, int(passes_[size_t(p)]->steps.size()) + 1), map.lmHeadSegments(), 0, L,
      [&map](int64_t beats) { return map.lmHeadSegmentThrough(beats); }, nullptr,
      [](int, const int32_t*) {});
  units_.mmu->linear({LinearKind::LmHead, 0, L.rows, L.cols, 1, L.tiles, nullptr, nullptr}, head);
}

void Sequencer::ssmThread() {
  for (int li = 0;; ++li) {
    waitFor(ssmStartEvent_, [&] { return ssmStarted_ > li; });
    ssmStep(li);
    ++ssmReady_;
    gateEvent_.notify(sc_core::SC_ZERO_TIME);
    ssmDoneEvent_.notify(sc_core::SC_ZERO_TIME);
  }
}

// One layer step's conv and SSM: the rows in order (each needs the window
// and state its parent left), head tile by head tile; the first row starts
// as soon as its in_proj rows exist, the rest find them done.
void Sequencer::ssmStep(int li) {
  const int D = model_.dInner, N = model_.dState, P = model_.headdim, H = model_.nHeads;
  const int rows = model_.inProjOut();
  const auto [p, st] = instances_[size_t(li)];
  const PassSpec& S = *passes_[size_t(p)];
  const PassStep& step = S.steps[size_t(st)];
  const int l = step.layer, T = step.rows, block = blockKey(p, 1 + st);
  const LayerLayout& L = *step.program;
  LayerData* d = data_.get();
  DramImage* image = setup_.image;
  const Mamba2Int* g = setup_.golden;
  if (L.convStateRead >= 0) waitSegment(block, L.convStateRead);
  if (L.convWeightsRead >= 0) {
    waitSegment(block, L.convWeightsRead);
    if (image) d->conv = image->convWeights(l, g->weights().layers[size_t(l)].conv);
  }
  if (L.ssmStateRead >= 0) waitSegment(block, L.ssmStateRead);
  if (image && L.convStateRead >= 0) {
    NodeData& c = d->bank[size_t(l)][-1];
    c.post = image->convState(l);
    c.state = image->ssmState(l);
  }
  const int tile = S.tileHeads == 0 ? H : S.tileHeads;
  NodeData* last = nullptr;
  for (int h0t = 0; h0t < H; h0t += tile) {
    const int h1t = std::min(H, h0t + tile);
    for (int t = 0; t < T; ++t) {
      const int r = step.row0 + t, parent = S.parent[size_t(r)];
      NodeData* nd = d ? &d->bank[size_t(l)][S.node[size_t(r)]] : nullptr;
      const NodeData* pd = d ? &d->bank[size_t(l)].at(parent) : nullptr;
      last = nd;
      const int32_t* zx = d ? d->zx.data() + size_t(t) * size_t(rows) : nullptr;
      const auto conv = [&](int c0, int c1) {
        units_.conv->channels({l, c0, c1, zx, nd ? &nd->window : nullptr, d ? &d->conv : nullptr,
                               nd ? &nd->convIn : nullptr, nd ? &nd->in : nullptr});
      };
      if (S.fifoTileBytes > 0) {
        const int64_t b = S.fifoTileBytes * (int(S.pushes[size_t(r)]) + int(parent >= 0));
        traffic_.add(Traffic::FifoOnChip, b);
      }
      if (nd) {
        // The window before this row: its parent's, with the parent's conv
        // input shifted in. Taken again per tile: with tiling a parent's conv
        // input gets the channels of a tile only in that tile.
        nd->window = parent < 0 ? pd->post : pd->window;
        if (parent >= 0) g->pushConvInput(nd->window, pd->convIn);
      }
      if (h0t == 0) {
        traffic_.add(Traffic::NodeStateStoreOnChip, step.onChipStoreBytesPerRow);
        if (nd) {
          nd->state = pd->state;  // tiles after the first are taken again below, once the parent has them
          nd->in = Mamba2Int::SsmInputs{intops::PotVector(D), intops::PotVector(N),
                                        intops::PotVector(N), intops::PotVector(H)};
          nd->convIn = intops::PotVector(model_.convDim());
        }
        waitFor(rowsEvent_, [&] { return rowsDone_ >= (S.overlap ? needBC_ : rows); });
        conv(D, D + 2 * N);
      } else if (nd) {
        g->storeHeads(nd->state, g->sliceHeads(pd->state, h0t, h1t), h0t, h1t);
      }
      for (int h0 = h0t; h0 < h1t; h0 += kGroup) {
        const int h1 = std::min(H, h0 + kGroup), grp = h0 / kGroup;
        waitFor(rowsEvent_,
                [&] { return rowsDone_ >= (S.overlap ? needGroup_[size_t(grp)] : rows); });
        conv(h0 * P, h1 * P);
        if (h1 == H) {
          if (nd) {
            nd->post = nd->window;
            g->pushConvInput(nd->post, nd->convIn);
            // Replay reruns the SSMU on this row (tree passes only); its in_proj
            // row is complete by its last group.
            if (!S.commit) nd->zx.assign(zx, zx + rows);
          }
          if (t + 1 == T) {
            if (image && S.commit) image->storeConvState(l, nd->post);
            ++convReady_;
            gateEvent_.notify(sc_core::SC_ZERO_TIME);
          }
        }
        units_.ssmu->headGroup({l, h0, h1, nd ? &nd->in : nullptr, zx, nd ? &nd->state : nullptr,
                                d ? d->yz.data() + size_t(t) * size_t(D) : nullptr});
      }
    }
  }
  if (image && S.commit) image->storeSsmState(l, last->state);
}

void Sequencer::commit(const std::vector<int>& path, const std::vector<CommitLayer>& layers) {
  const int H = model_.nHeads, D = model_.dInner;
  DramImage* image = setup_.image;
  const Mamba2Int* g = setup_.golden;
  std::vector<int32_t> yz(static_cast<size_t>(D));
  const auto transfer = [&](const std::vector<StreamSegment>& segs) {
    Cycle done = now();
    for (const StreamSegment& s : segs) {
      done = std::max(done, setup_.port->transfer(s, now()));
      count(s);
    }
    return done;
  };
  for (const CommitLayer& c : layers) {
    const int l = c.layer;
    waitUntil(transfer(c.reads));
    intops::ConvWindow window;
    intops::SsmState state;
    if (c.replay) {
      if (image) {
        window = image->convState(l);
        state = image->ssmState(l);
      }
      for (int v : path) {
        NodeData* nd = image ? &data_->bank[size_t(l)].at(v) : nullptr;
        Mamba2Int::SsmInputs in;
        if (nd) in = nd->in;
        for (int h0 = 0; h0 < H; h0 += kGroup) {
          units_.ssmu->headGroup({l, h0, std::min(H, h0 + kGroup), nd ? &in : nullptr,
                                  nd ? nd->zx.data() : nullptr, nd ? &state : nullptr,
                                  nd ? yz.data() : nullptr});
        }
        if (nd) g->pushConvInput(window, nd->convIn);
      }
    } else if (image) {
      const NodeData& nd = data_->bank[size_t(l)].at(path.back());
      window = nd.post;
      state = nd.state;
    }
    if (image) {
      image->storeConvState(l, window);
      image->storeSsmState(l, state);
    }
    waitUntil(transfer(c.writes));
  }
}

}  // namespace specmamba::platform
