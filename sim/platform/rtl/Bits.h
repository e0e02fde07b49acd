#pragma once
// A little-endian bit vector: how the RTL units' stream beats are packed.
// Shared by the plain-C++ Verilator testbenches (tests/rtl, which store it
// into CData..QData / VlWide ports) and the SystemC rtl units
// (sim/platform/rtl, RtlSignals.h stores it into sc_signal ports).
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace specmamba::rtl {

class Bits {
 public:
  explicit Bits(unsigned width) : width_(width), words_((width + 31) / 32, 0u) {}
  // Field [lsb, lsb + width) = value (width <= 64; higher bits of value ignored).
  void set(unsigned lsb, unsigned width, uint64_t value) {
    while (width > 0) {
      const unsigned off = lsb % 32, n = std::min(32u - off, width);
      const uint32_t mask = uint32_t(((uint64_t(1) << n) - 1) << off);
      uint32_t& w = words_[lsb / 32];
      w = (w & ~mask) | (uint32_t(value << off) & mask);
      value >>= n;
      lsb += n;
      width -= n;
    }
  }
  uint64_t get(unsigned lsb, unsigned width) const {
    uint64_t v = 0;
    for (unsigned done = 0; done < width;) {
      const unsigned pos = lsb + done, off = pos % 32, n = std::min(32u - off, width - done);
      v |= uint64_t((words_[pos / 32] >> off) & uint32_t((uint64_t(1) << n) - 1)) << done;
      done += n;
    }
    return v;
  }
  // Sign-extended field.
  int64_t getSigned(unsigned lsb, unsigned width) const {
    const uint64_t v = get(lsb, width);
    const uint64_t sign = uint64_t(1) << (width - 1);
    return int64_t((v ^ sign) - sign);
  }
  // Into / from a plain-C++ Verilated port (CData..QData, or VlWide<N>).
  template <typename Port>
  void store(Port& port) const {
    if constexpr (std::is_integral_v<Port>) {
      port = static_cast<Port>(low64());
    } else {
      for (size_t i = 0; i < words_.size(); ++i) port[i] = words_[i];
    }
  }
  template <typename Port>
  void load(const Port& port) {
    if constexpr (std::is_integral_v<Port>) {
      setLow64(static_cast<uint64_t>(port));
    } else {
      for (size_t i = 0; i < words_.size(); ++i) words_[i] = port[i];
    }
  }
  unsigned width() const { return width_; }
  size_t words() const { return words_.size(); }
  uint32_t word(size_t i) const { return words_[i]; }
  void setWord(size_t i, uint32_t w) { words_[i] = w; }
  uint64_t low64() const {
    uint64_t v = words_[0];
    if (words_.size() > 1) v |= uint64_t(words_[1]) << 32;
    return v;
  }
  void setLow64(uint64_t v) {
    words_[0] = uint32_t(v);
    if (words_.size() > 1) words_[1] = uint32_t(v >> 32);
  }
  Bits slice(unsigned lsb, unsigned width) const {
    Bits b(width);
    for (unsigned i = 0; i < width; i += 32) {
      const unsigned w = std::min(32u, width - i);
      b.set(i, w, get(lsb + i, w));
    }
    return b;
  }
  void setBits(unsigned lsb, const Bits& src) {
    for (unsigned i = 0; i < src.width(); i += 32) {
      const unsigned w = std::min(32u, src.width() - i);
      set(lsb + i, w, src.get(i, w));
    }
  }

 private:
  unsigned width_;
  std::vector<uint32_t> words_;
};

}  // namespace specmamba::rtl
