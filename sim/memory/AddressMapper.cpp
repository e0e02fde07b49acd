#include "sim/memory/AddressMapper.h"

#include <fmt/format.h>

#include <vector>

#include "models/common/Error.h"

namespace specmamba::dram {

int log2Exact(uint64_t v) {
  if (v == 0 || (v & (v - 1)) != 0) return -1;
  int n = 0;
  while (v > 1) {
    v >>= 1;
    ++n;
  }
  return n;
}

AddressMapper::AddressMapper(const std::string& order, const DramOrganization& org)
    : order_(order), burstLength_(org.burstLength) {
  static const char* NAMES[FIELD_COUNT] = {"Ch", "Ra", "Bg", "Ba", "Ro", "Co"};
  const uint64_t counts[FIELD_COUNT] = {
      uint64_t(org.channels),      uint64_t(org.ranks), uint64_t(org.bankGroups),
      uint64_t(org.banksPerGroup), uint64_t(org.rows),  uint64_t(org.columns / org.burstLength)};
  for (size_t f = 0; f < FIELD_COUNT; ++f) {
    bits_[f] = log2Exact(counts[f]);
    if (bits_[f] < 0) {
      throw Error(fmt::format("{} count {} is not a power of two", NAMES[f], counts[f]));
    }
  }
  offsetBits_ = log2Exact(uint64_t(org.burstBytes()));
  if (offsetBits_ < 0)
    throw Error(fmt::format("burst of {} bytes is not a power of two", org.burstBytes()));
  if (order.empty() || order.size() % 2 != 0) {
    throw Error(fmt::format("\"{}\" must be a sequence of the fields Ch Ra Bg Ba Ro Co", order));
  }
  std::vector<size_t> sequence;  // most significant first
  std::array<bool, FIELD_COUNT> seen{};
  for (size_t i = 0; i < order.size(); i += 2) {
    const std::string token = order.substr(i, 2);
    size_t f = 0;
    while (f < FIELD_COUNT && token != NAMES[f]) ++f;
    if (f == FIELD_COUNT) {
      throw Error(
          fmt::format("\"{}\": unknown field \"{}\" (fields: Ch Ra Bg Ba Ro Co)", order, token));
    }
    if (seen[f]) throw Error(fmt::format("\"{}\": field {} appears twice", order, token));
    seen[f] = true;
    sequence.push_back(f);
  }
  for (size_t f = 0; f < FIELD_COUNT; ++f) {
    if (!seen[f] && bits_[f] > 0) {
      throw Error(fmt::format("\"{}\" lacks field {} ({} bits in this organization)", order,
                              NAMES[f], bits_[f]));
    }
  }
  int shift = 0;
  for (auto it = sequence.rbegin(); it != sequence.rend(); ++it) {
    shift_[*it] = shift;
    shift += bits_[*it];
  }
}

DramAddress AddressMapper::decode(uint64_t address) const {
  const uint64_t a = address >> offsetBits_;
  auto field = [&](Field f) {
    return int64_t((a >> shift_[size_t(f)]) & ((uint64_t(1) << bits_[size_t(f)]) - 1));
  };
  DramAddress d;
  d.channel = int(field(Field::Ch));
  d.rank = int(field(Field::Ra));
  d.bankGroup = int(field(Field::Bg));
  d.bank = int(field(Field::Ba));
  d.row = field(Field::Ro);
  d.column = field(Field::Co) * burstLength_;
  return d;
}

uint64_t AddressMapper::encode(const DramAddress& d) const {
  auto put = [&](Field f, uint64_t v) { return v << shift_[size_t(f)]; };
  const uint64_t a = put(Field::Ch, uint64_t(d.channel)) | put(Field::Ra, uint64_t(d.rank)) |
                     put(Field::Bg, uint64_t(d.bankGroup)) | put(Field::Ba, uint64_t(d.bank)) |
                     put(Field::Ro, uint64_t(d.row)) |
                     put(Field::Co, uint64_t(d.column / burstLength_));
  return a << offsetBits_;
}

}  // namespace specmamba::dram
