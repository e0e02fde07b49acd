#pragma once
// MMU (SPEC §4): TP tokens x COP outputs x CIP inputs MACs per cycle with the
// two-term PoT shift accumulator (intops::linear / linearBatch, RTL sm_mmu).
// in_proj, out_proj and (optionally) the LM head share it.
//
// Contract of an implementation of `linear`:
//  * Work: `job.tiles` output tiles, in order t = 0, 1, ...; tile t covers
//    rows [tile.row0, tile.row0 + tile.rows) of the stored (possibly
//    reordered) weight matrix, at most COP rows.
//  * Input: `feed.acquire(t)` blocks (in simulated time) until tile t's
//    weight and scale beats are on chip and returns them: `weights` is the
//    tile unpacked from the DRAM image as an IntLinear of tile.rows x cols
//    (null in timing-only runs), `packed` the same bytes as streamed
//    (packing: DramImage.h). Activations: job.xq / job.xs, [tokens][cols],
//    quantized by the Quant unit (null in timing-only runs).
//  * Output: `feed.release(t, y)` once tile t's outputs exist, y =
//    [tokens][tile.rows] (Q10, golden linearBatch values; null in
//    timing-only runs). release frees the tile's buffer space and publishes
//    the rows to the units waiting for them; call it for every tile, in order.
//  * Time: accelerator clock; at TP tokens per pass a tile takes
//    ceil(tokens / TP) x ceil(cols / CIP) cycles (II = 1 beat), plus the
//    pipeline latency after the last tile (UnitTiming). Log busy cycles.
#include <cstdint>
#include <memory>

#include "models/int/IntOps.h"
#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform {

enum class LinearKind { InProj, OutProj, LmHead };

struct LinearJob {
  LinearKind kind = LinearKind::InProj;
  int layer = 0;
  int rows = 0, cols = 0;
  int tokens = 1;               // <= TP
  int tiles = 0;                // ceil(rows / COP)
  const int8_t* xq = nullptr;   // [tokens][cols]
  const uint8_t* xs = nullptr;  // [tokens][cols / 8]
};

struct WeightTile {
  int row0 = 0, rows = 0;
  const intops::IntLinear* weights = nullptr;  // rows x cols, unpacked (functional)
  const uint8_t* packed = nullptr;             // the tile's weight bytes in the DRAM image
  int64_t packedBytes = 0;
};

class WeightFeed {
 public:
  virtual ~WeightFeed() = default;
  virtual WeightTile acquire(int tile) = 0;
  virtual void release(int tile, const int32_t* y) = 0;
};

class Mmu {
 public:
  virtual ~Mmu() = default;
  virtual void linear(const LinearJob& job, WeightFeed& feed) = 0;
};

std::unique_ptr<Mmu> makeFastMmu(const UnitContext& ctx);

}  // namespace specmamba::platform
