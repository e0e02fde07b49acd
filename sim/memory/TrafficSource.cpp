#include "sim/memory/TrafficSource.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "models/common/Error.h"

namespace specmamba::dram {

namespace {

bool parseHex(const std::string& s, uint64_t& out) {
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoull(s.c_str() + 2, &end, 16);
  return errno == 0 && end && *end == '\0' && s.size() <= 18;
}

bool parseCycle(const std::string& s, Cycle& out) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  out = Cycle(std::strtoll(s.c_str(), nullptr, 10));
  return true;
}

}  // namespace

TraceFileSource::TraceFileSource(const std::string& path) : path_(path), in_(path) {
  if (!in_) throw Error(fmt::format("{}: cannot open trace file", path));
}

void TraceFileSource::fail(const std::string& what) const {
  throw Error(fmt::format("{}:{}: {}", path_, line_, what));
}

namespace {

// DRAMSim3's trace reader takes READ/WRITE in either case and the
// Ramulator-style P_MEM_RD / P_MEM_WR; Ramulator 1 DRAM traces use R / W.
bool dramSim3Op(const std::string& op, bool& write) {
  if (op == "READ" || op == "read" || op == "P_MEM_RD") {
    write = false;
    return true;
  }
  if (op == "WRITE" || op == "write" || op == "P_MEM_WR") {
    write = true;
    return true;
  }
  return false;
}

bool ramulator1Op(const std::string& op, bool& write) {
  if (op != "R" && op != "W") return false;
  write = op == "W";
  return true;
}

}  // namespace

bool TraceFileSource::next(TrafficRequest& r) {
  std::string text;
  while (std::getline(in_, text)) {
    ++line_;
    const size_t hash = text.find('#');
    if (hash != std::string::npos) text.resize(hash);
    std::istringstream ss(text);
    std::vector<std::string> tok;
    for (std::string t; ss >> t;) tok.push_back(t);
    if (tok.empty()) continue;
    bool write = false;
    if (format_ == Format::Unknown) {
      format_ = (tok[0] == "LD" || tok[0] == "ST")                          ? Format::Ramulator
                : (tok.size() == 2 && ramulator1Op(tok[1], write)) ? Format::Ramulator1
                                                                   : Format::DramSim3;
    }
    ++requests_;
    if (format_ == Format::Ramulator) {
      if (tok.size() != 2 || (tok[0] != "LD" && tok[0] != "ST") || !parseHex(tok[1], r.address)) {
        fail(fmt::format("expected \"LD|ST 0xADDR\" (Ramulator 2 format, as the first request "
                         "line), got \"{}\"",
                         text));
      }
      r.write = tok[0] == "ST";
      r.arrival = 0;
      return true;
    }
    if (format_ == Format::Ramulator1) {
      if (tok.size() != 2 || !parseHex(tok[0], r.address) || !ramulator1Op(tok[1], write)) {
        fail(fmt::format("expected \"0xADDR R|W\" (Ramulator 1 format, as the first request "
                         "line), got \"{}\"",
                         text));
      }
      r.write = write;
      r.arrival = 0;
      return true;
    }
    Cycle cycle = 0;
    if (tok.size() != 3 || !parseHex(tok[0], r.address) || !dramSim3Op(tok[1], write) ||
        !parseCycle(tok[2], cycle)) {
      fail(fmt::format("expected \"0xADDR READ|WRITE|P_MEM_RD|P_MEM_WR CYCLE\" (DRAMSim3 format, "
                       "as the first request line), got \"{}\"",
                       text));
    }
    if (cycle < lastCycle_) {
      fail(fmt::format("cycle {} is earlier than the previous request's cycle {}", cycle,
                       lastCycle_));
    }
    lastCycle_ = cycle;
    r.write = write;
    r.arrival = cycle;
    return true;
  }
  if (in_.bad()) fail("read error");
  if (requests_ == 0) {
    throw Error(fmt::format("{}: the trace has no request line (only blanks or comments)", path_));
  }
  return false;
}

Pattern parsePattern(const std::string& name) {
  if (name == "stream") return Pattern::Stream;
  if (name == "random") return Pattern::Random;
  if (name == "strided") return Pattern::Strided;
  throw Error(fmt::format("unknown pattern \"{}\" (known: stream, random, strided)", name));
}

PatternSource::PatternSource(Pattern p, const DramSpec& spec, uint64_t stride, double readRatio,
                             uint64_t seed)
    : pattern_(p),
      burst_(uint64_t(spec.org.burstBytes())),
      capacity_(spec.org.capacityBytes()),
      stride_(stride),
      readRatio_(readRatio),
      rng_(seed) {
  if (p == Pattern::Strided && (stride == 0 || stride % burst_ != 0)) {
    throw Error(fmt::format("--stride must be a positive multiple of the {}-byte burst, got {}",
                            burst_, stride));
  }
  if (!(readRatio >= 0.0 && readRatio <= 1.0)) {
    throw Error(fmt::format("--read-ratio must be in [0, 1], got {}", readRatio));
  }
}

bool PatternSource::next(TrafficRequest& r) {
  switch (pattern_) {
    case Pattern::Stream:
      r.address = (i_ * burst_) % capacity_;
      break;
    case Pattern::Random:
      r.address = rng_.below(capacity_ / burst_) * burst_;
      break;
    case Pattern::Strided:
      r.address = (i_ * stride_) % capacity_;
      break;
  }
  r.write = readRatio_ < 1.0 && !(rng_.uniform() < readRatio_);
  r.arrival = 0;
  ++i_;
  return true;
}

}  // namespace specmamba::dram
