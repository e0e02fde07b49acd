#pragma once
// The accelerator's DRAM contents in a functional run: the quantized model
// and the recurrent states packed at the addresses of the MemoryMap (formats
// there), read and written by the platform as the stream moves them. Units
// get what they compute on by unpacking these bytes, so a packing error
// shows up as wrong tokens.
//
// What is not in the image: the on-chip constants loaded once at start-up
// (LUTs, norm tables and weights, dt_bias, A, D, conv bias, the linear
// layers' output shifts); units take them from the IntModelWeights.
#include <cstdint>
#include <vector>

#include "models/int/Mamba2Int.h"
#include "sim/platform/MemoryMap.h"

namespace specmamba::platform {

class DramImage {
 public:
  // Packs every layer's weights and the states of `state`.
  DramImage(const MemoryMap& map, const IntModelWeights& weights, const IntState& state);

  const uint8_t* at(uint64_t address) const { return bytes_.data() + (address - map_.base()); }

  // Tile t of a linear layer as an IntLinear of its rows (stored order);
  // `proto` supplies the on-chip constants (bits, group, shifts).
  intops::IntLinear linearTile(const LinearLayout& L, int t, const intops::IntLinear& proto) const;
  // Conv taps and exponents from the image, bias from `onChip`.
  intops::IntConv convWeights(int layer, const intops::IntConv& onChip) const;
  intops::ConvWindow convState(int layer) const;
  void storeConvState(int layer, const intops::ConvWindow& w);
  intops::SsmState ssmState(int layer) const;
  void storeSsmState(int layer, const intops::SsmState& s);
  void writeWords(const Region& r, const int32_t* v, int n);
  void readWords(const Region& r, int32_t* v, int n) const;

 private:
  // The image holds the map's bytes from its base address on.
  uint8_t* byte(uint64_t address) { return bytes_.data() + (address - map_.base()); }
  void packLinear(const LinearLayout& L, const intops::IntLinear& W);
  void packInt8(uint64_t address, const int8_t* q, size_t n, const uint8_t* s);
  void unpackInt8(uint64_t address, int8_t* q, size_t n, uint8_t* s) const;

  const MemoryMap& map_;
  std::vector<uint8_t> bytes_;
};

}  // namespace specmamba::platform
