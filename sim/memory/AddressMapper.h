#pragma once
// Physical address -> (channel, rank, bank group, bank, row, column) from a
// bit-order string read most significant field first: "RoBaCoBgCh" puts the
// channel bits right above the burst offset, then bank group, column, bank,
// row. Fields: Ch Ra Bg Ba Ro Co, each at most once; a field may be left out
// when the organization gives it a single value (e.g. Ra with one rank, so
// "RoBaBgCoCh" works for single-rank presets). The lowest
// log2(burst bytes) bits address bytes inside a burst. Addresses above the
// capacity wrap (the high bits are ignored).
#include <array>
#include <cstdint>
#include <string>

#include "sim/memory/DramSpec.h"
#include "sim/memory/DramTypes.h"

namespace specmamba::dram {

class AddressMapper {
 public:
  enum class Field : uint8_t { Ch, Ra, Bg, Ba, Ro, Co };
  static constexpr size_t FIELD_COUNT = 6;

  // Throws Error (message without location: the caller adds file/pointer).
  AddressMapper(const std::string& order, const DramOrganization& org);

  DramAddress decode(uint64_t address) const;
  uint64_t encode(const DramAddress& a) const;  // inverse of decode (column at burst start)

  int offsetBits() const { return offsetBits_; }
  // Bit position (above the byte offset, LSB = 0) where a field starts, and its width.
  int fieldShift(Field f) const { return shift_[size_t(f)]; }
  int fieldBits(Field f) const { return bits_[size_t(f)]; }
  const std::string& order() const { return order_; }

 private:
  std::string order_;
  int offsetBits_ = 0;
  int burstLength_ = 1;
  std::array<int, FIELD_COUNT> bits_{};
  std::array<int, FIELD_COUNT> shift_{};
};

int log2Exact(uint64_t v);  // -1 if not a power of two

}  // namespace specmamba::dram
