#include "sim/memory/ProtocolChecker.h"

#include <fmt/format.h>

#include <algorithm>

namespace specmamba::dram {

namespace {
constexpr Cycle NOT_ISSUED = -NEVER;

std::array<Cycle, COMMAND_COUNT> notIssued() {
  std::array<Cycle, COMMAND_COUNT> t;
  t.fill(NOT_ISSUED);
  return t;
}
}  // namespace

ProtocolChecker::ProtocolChecker(const DramSpec& spec, std::vector<TimingConstraint> table)
    : org_(spec.org),
      table_(std::move(table)),
      lastBank_(size_t(org_.ranks * org_.banksPerRank()), notIssued()),
      lastRank_(size_t(org_.ranks), notIssued()),
      openRow_(size_t(org_.ranks * org_.banksPerRank()), -1),
      windows_(table_.size()) {
  for (size_t i = 0; i < table_.size(); ++i) {
    if (table_[i].window > 1) windows_[i].resize(size_t(org_.ranks));
  }
}

bool ProtocolChecker::inScope(const TimingConstraint& c, const DramAddress& a, size_t bank) const {
  const int perRank = org_.banksPerRank();
  const int r = int(bank) / perRank;
  const int g = (int(bank) % perRank) / org_.banksPerGroup;
  const int b = int(bank) % org_.banksPerGroup;
  if (c.sibling) return r != a.rank;
  switch (c.scope) {
    case Scope::Channel:
      return true;
    case Scope::Rank:
      return r == a.rank;
    case Scope::BankGroup:
      return r == a.rank && g == a.bankGroup;
    case Scope::Bank:
      return r == a.rank && g == a.bankGroup && b == a.bank;
  }
  return false;
}

Cycle ProtocolChecker::lastIssue(const TimingConstraint& c, const DramAddress& a) const {
  Cycle last = NOT_ISSUED;
  const size_t k = index(c.from);
  if (isRankCommand(c.from)) {
    for (int r = 0; r < org_.ranks; ++r) {
      const bool match = c.sibling ? r != a.rank : (c.scope == Scope::Channel || r == a.rank);
      if (match) last = std::max(last, lastRank_[size_t(r)][k]);
    }
    return last;
  }
  for (size_t bank = 0; bank < lastBank_.size(); ++bank) {
    if (inScope(c, a, bank)) last = std::max(last, lastBank_[bank][k]);
  }
  return last;
}

std::vector<Violation> ProtocolChecker::check(Command cmd, const DramAddress& a, Cycle now) const {
  std::vector<Violation> out;
  if (now <= lastCycle_) {
    out.push_back(
        {"command bus", fmt::format("previous command at cycle {}; one command per cycle, in "
                                    "time order",
                                    lastCycle_)});
  }
  const bool rankCmd = isRankCommand(cmd);
  if (a.rank < 0 || a.rank >= org_.ranks ||
      (!rankCmd &&
       (a.bankGroup < 0 || a.bankGroup >= org_.bankGroups || a.bank < 0 ||
        a.bank >= org_.banksPerGroup || a.row < 0 || a.row >= org_.rows || a.column < 0 ||
        a.column >= org_.columns || a.column % org_.burstLength != 0))) {
    out.push_back({"address", "outside the device organization"});
    return out;
  }
  for (size_t i = 0; i < table_.size(); ++i) {
    const TimingConstraint& c = table_[i];
    if (c.to != cmd) continue;
    if (c.window > 1) {
      const auto& h = windows_[i][size_t(a.rank)];
      if (h.size() >= size_t(c.window)) {
        const Cycle t = h[h.size() - size_t(c.window)];
        if (now < t + c.latency) {
          out.push_back(
              {c.name, fmt::format("{} {} {}s within {} cycles (the {}th-last at cycle {}, "
                                   "needs >= {})",
                                   c.window + 1, commandName(c.from), commandName(c.from),
                                   c.latency, c.window, t, t + c.latency)});
        }
      }
      continue;
    }
    const Cycle t = lastIssue(c, a);
    if (t != NOT_ISSUED && now < t + c.latency) {
      out.push_back({c.name, fmt::format("{} at cycle {} + {} = {} > {} ({} scope{})",
                                         commandName(c.from), t, c.latency, t + c.latency, now,
                                         scopeName(c.scope), c.sibling ? ", other rank" : "")});
    }
  }
  // Bank state.
  if (rankCmd) {
    if (cmd == Command::REFab) {
      for (int b = 0; b < org_.banksPerRank(); ++b) {
        if (openRow_[size_t(a.rank * org_.banksPerRank() + b)] >= 0) {
          out.push_back(
              {"bank state", fmt::format("REFab with bank {} of rank {} open", b, a.rank)});
          break;
        }
      }
    }
    return out;
  }
  const int64_t open = openRow_[bankIndex(a.rank, a.bankGroup, a.bank)];
  if ((cmd == Command::ACT || cmd == Command::REFpb) && open >= 0) {
    out.push_back(
        {"bank state", fmt::format("{} to a bank with row {} open", commandName(cmd), open)});
  }
  if (isColumn(cmd) && open != a.row) {
    out.push_back({"bank state", open < 0 ? fmt::format("{} to a closed bank", commandName(cmd))
                                          : fmt::format("{} to row {} while row {} is open",
                                                        commandName(cmd), a.row, open)});
  }
  return out;
}

void ProtocolChecker::record(Command cmd, const DramAddress& a, Cycle now) {
  lastCycle_ = std::max(lastCycle_, now);
  if (isRankCommand(cmd)) {
    lastRank_[size_t(a.rank)][index(cmd)] = now;
    if (cmd == Command::PREA) {
      for (int b = 0; b < org_.banksPerRank(); ++b)
        openRow_[size_t(a.rank * org_.banksPerRank() + b)] = -1;
    }
  } else {
    const size_t bank = bankIndex(a.rank, a.bankGroup, a.bank);
    lastBank_[bank][index(cmd)] = now;
    if (cmd == Command::ACT) openRow_[bank] = a.row;
    if (cmd == Command::PRE || isAutoPrecharge(cmd)) openRow_[bank] = -1;
  }
  for (size_t i = 0; i < table_.size(); ++i) {
    if (table_[i].window > 1 && table_[i].from == cmd) {
      auto& h = windows_[i][size_t(a.rank)];
      h.push_back(now);
      if (h.size() > size_t(table_[i].window)) h.pop_front();
    }
  }
}

void ProtocolChecker::onCommand(Command cmd, const DramAddress& a, Cycle now) {
  ++checked_;
  const std::vector<Violation> v = check(cmd, a, now);
  if (!v.empty()) {
    throw ProtocolViolation(fmt::format("protocol violation at cycle {}: {} violates {}: {}", now,
                                        describe(cmd, a), v.front().constraint, v.front().detail));
  }
  record(cmd, a, now);
}

}  // namespace specmamba::dram
