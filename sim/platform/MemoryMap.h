#pragma once
// Where everything lives in the accelerator's DRAM image and the order in
// which a token streams it (SPEC §4 memory stream), for a model and an
// accelerator configuration. Pure arithmetic: no data (DramImage fills the
// bytes at these addresses).
//
// Per layer, strictly in order: conv state read, conv weights, SSM state
// read, the weights of in_proj then out_proj as loops of 256 weight beats
// each preceded by its share of the scale beats, conv state write, SSM state
// write. Per token: the embedding row (written by the host) is read before
// layer 0; after the last layer the final residual is written back for the
// host (LM head on the host) or the LM head weights stream through the MMU.
// A pass carries up to TP tokens (prompt chunks): the embedding region holds
// TP rows, of which a pass reads its own.
//
// Formats (bit-exact contract with DramImage):
//  * conv state: int8 [d_conv-1][convDim], then 4-bit exponents [d_conv-1][convDim/8];
//  * conv weights: int8 taps [d_conv][convDim], then 4-bit exponents (the
//    conv bias stays on chip with dt_bias, A, D and the norm tables);
//  * SSM state: int8 h [N][d_inner], then 4-bit exponents [N][d_inner/8];
//  * linear weights: tile-major (a tile = COP stored rows); inside a tile,
//    for each chunk of CIP inputs, for each row, CIP weights; int4 two per
//    byte (low nibble first) or int8; in_proj rows in the stored order
//    (reordered when reordering is on);
//  * scales: per stored row, per 128-input group, s1 | s2 << 3 (6 bits),
//    packed LSB first in one bit stream per linear layer;
//  * exponents: two per byte, low nibble first.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/config/ModelConfig.h"
#include "sim/platform/AcceleratorConfig.h"
#include "sim/platform/StreamPort.h"

namespace specmamba::platform {

// Weight bytes per scale/weight loop of the stream [release: 2,453 loops of
// 3 + 256 beats of 256 bits, i.e. 8 KiB of weights per loop].
constexpr int64_t kWeightLoopBytes = 8192;
inline int64_t weightLoopBeats(int64_t busBytes) {
  return std::max<int64_t>(1, kWeightLoopBytes / busBytes);
}

struct Region {
  uint64_t address = 0;
  uint64_t bytes = 0;
};

struct LinearLayout {
  int rows = 0, cols = 0, tiles = 0;
  Region weights, scales;
  // Row order as stored: stored row i is original row order[i].
  std::vector<int> order;
  int64_t weightBeatsBefore = 0;  // weight beats of the layer preceding this linear's
  int64_t weightBeats = 0;
  int cop = 0;            // rows per tile
  int64_t tileBytes = 0;  // weight bytes of a full tile
  int64_t tileOffset(int t) const { return int64_t(t) * tileBytes; }
  int tileRows(int t) const { return std::min(cop, rows - t * cop); }
  // Weight beats (of the layer's weight stream) up to and including tile t.
  int64_t beatsThroughTile(int t, int64_t busBytes) const {
    return weightBeatsBefore +
           (tileOffset(t) + int64_t(tileRows(t)) * tileBytes / cop + busBytes - 1) / busBytes;
  }
};

struct LayerLayout {
  Region convState, convWeights, ssmState;
  LinearLayout inProj, outProj;
  // Stream segments of the layer in order, and the indices of landmarks.
  std::vector<StreamSegment> segments;
  int convStateRead = 0, convWeightsRead = 0, ssmStateRead = 0, firstWeight = 0;
  int convStateWrite = 0, ssmStateWrite = 0;
  int afterSsm = 1 << 30;  // segments from this index on wait for the layer's SSM (speculative writes)
  std::vector<int> weightSegment;  // per loop: index of its weight segment
  int64_t loopBeats = 0;           // weight beats per loop
  // Index of the segment that completes the first `beats` weight beats of
  // the layer (in_proj + out_proj counted together), beats >= 1.
  int segmentThroughWeightBeat(int64_t beats) const {
    return weightSegment[size_t((beats - 1) / loopBeats)];
  }
};

class MemoryMap {
 public:
  // `base`: first byte address (a second model's map lies above the first).
  MemoryMap(const ModelConfig& model, const AcceleratorConfig& accel, uint64_t base = 0);
  // Allocates a region above everything mapped so far (speculative buffers).
  Region allocate(uint64_t bytes);
  uint64_t base() const { return base_; }

  const ModelConfig& model() const { return model_; }
  const AcceleratorConfig& accel() const { return accel_; }
  const LayerLayout& layer(int l) const { return layers_[size_t(l)]; }
  Region embeddingIn() const { return embeddingIn_; }
  Region residualOut() const { return residualOut_; }
  // The LM head on the accelerator: weights and their stream segments.
  const LinearLayout& lmHead() const { return lmHead_; }
  const std::vector<StreamSegment>& lmHeadSegments() const { return lmHeadSegments_; }
  // Index (in lmHeadSegments) of the segment completing the first `beats` LM head weight beats.
  int lmHeadSegmentThrough(int64_t beats) const {
    return lmHeadWeightSegment_[size_t((beats - 1) / weightLoopBeats(accel_.busBytes()))];
  }
  uint64_t totalBytes() const { return total_; }  // end of the map (base included)

  // Stored (possibly reordered) in_proj row order: dt, B, C, then x and z of
  // each group of 8 heads; the original [z | x | B | C | dt] when off.
  static std::vector<int> inProjOrder(const ModelConfig& m, bool reordering);

 private:
  LinearLayout linear(int rows, int cols, std::vector<int> order, int64_t beatsBefore);
  uint64_t beats(const Region& r) const;
  // Appends the scale/weight loops of `a` (followed in memory by `b`, if
  // any); returns the index of each loop's weight segment.
  std::vector<int> loops(const LinearLayout& a, const LinearLayout* b,
                         std::vector<StreamSegment>& out) const;

  ModelConfig model_;
  AcceleratorConfig accel_;
  std::vector<LayerLayout> layers_;
  Region embeddingIn_, residualOut_;
  LinearLayout lmHead_;
  std::vector<StreamSegment> lmHeadSegments_;
  std::vector<int> lmHeadWeightSegment_;
  uint64_t base_ = 0;
  uint64_t total_ = 0;
};

}  // namespace specmamba::platform
