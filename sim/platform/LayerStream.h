#pragma once
// One layer's memory stream (SPEC §4), as the segments the sequencer hands to
// StreamPort::transfer, strictly in this order:
//   conv state read, conv weights, h (SSM) state read,
//   weight loops (scale beats, then weight beats; in_proj rows then out_proj),
//   conv state write, h state write.
// Sizes follow the release's packing (docs/memory.md "Accelerator port"):
//   conv state / conv weights: d_conv x conv_dim int8 + a 4-bit exponent per 8;
//   h state: heads x P x N int8 + a 4-bit exponent per 8;
//   weights: (in_proj_out x d_model + d_model x d_inner) at the precision's
//   bits, in loops of `loopBeats` beats (the last shorter), each preceded by
//   the two 3-bit PoT exponents of its 128-input groups, packed, in whole
//   beats sized for a full loop (the release's fixed 3 beats at W4A4).
// DRAM image: per layer one read block [conv state | conv weights | h state |
// weight loops], 4 KB aligned, layer after layer; the state writes go to their
// own region after all read blocks ([conv state | h state] per layer).
#include <cstdint>
#include <vector>

#include "models/config/ModelConfig.h"
#include "models/int/IntModelWeights.h"
#include "sim/platform/StreamPort.h"

namespace specmamba::platform {

struct LayerStreamOptions {
  int busBits = 256;
  Precision precision = Precision::W4A4;
  int loopBeats = 256;  // weight beats per loop [release]
};

struct LayerStreamSizes {  // beats of one layer
  uint64_t convState = 0, convWeights = 0, ssmState = 0;
  uint64_t weightBeats = 0;  // weights without scales
  uint64_t loops = 0;        // weight loops
  uint64_t scaleBeatsPerLoop = 0;
  uint64_t lastLoopBeats = 0;  // weight beats of the last loop
  uint64_t weightStream() const { return weightBeats + loops * scaleBeatsPerLoop; }
  uint64_t reads() const { return convState + convWeights + ssmState + weightStream(); }
  uint64_t writes() const { return convState + ssmState; }
  uint64_t total() const { return reads() + writes(); }
};

LayerStreamSizes layerStreamSizes(const ModelConfig& model, const LayerStreamOptions& options);
// The segments of layer `layer` (0-based) with their DRAM image addresses.
std::vector<StreamSegment> layerStream(const ModelConfig& model, const LayerStreamOptions& options,
                                       int layer);

}  // namespace specmamba::platform
