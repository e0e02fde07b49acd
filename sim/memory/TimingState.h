#pragma once
// The controller's view of the timing table for one channel: for every scope
// node (channel, rank, bank group, bank) the earliest cycle at which each
// command may issue. Issuing a command pushes those cycles forward along the
// table rows that start at it (look-ahead; the ProtocolChecker instead looks
// back over the command history, so the two are independent implementations
// of the same table).
#include <algorithm>
#include <array>
#include <deque>
#include <string>
#include <vector>

#include "sim/memory/DramSpec.h"
#include "sim/memory/TimingTable.h"

namespace specmamba::dram {

class TimingState {
 public:
  TimingState(const DramOrganization& org, std::vector<TimingConstraint> table);

  // Earliest legal cycle for `cmd` at `a` (timing only; bank state is the caller's).
  Cycle earliest(Command cmd, const DramAddress& a) const {
    const size_t k = index(cmd);
    const Cycle t = std::max(channel_[k], rank_[rankNode(a)][k]);
    if (isRankCommand(cmd)) return t;
    return std::max({t, group_[groupNode(a)][k], bank_[bankNode(a)][k]});
  }
  void issue(Command cmd, const DramAddress& a, Cycle now);

  // Test-only hook: drops every row named `name` so that the protocol checker
  // can be shown to catch the violations that follow. Returns rows removed.
  int disableConstraint(const std::string& name);

 private:
  using Times = std::array<Cycle, COMMAND_COUNT>;
  struct Window {
    size_t row;
    std::vector<std::deque<Cycle>> history;  // per node of the row's scope
  };
  size_t rankNode(const DramAddress& a) const { return size_t(a.rank); }
  size_t groupNode(const DramAddress& a) const {
    return size_t(a.rank * bankGroups_ + a.bankGroup);
  }
  size_t bankNode(const DramAddress& a) const {
    return size_t((a.rank * bankGroups_ + a.bankGroup) * banksPerGroup_ + a.bank);
  }
  Times& node(Scope s, const DramAddress& a);
  void buildIndex();

  int ranks_, bankGroups_, banksPerGroup_;
  std::vector<TimingConstraint> table_;
  std::array<std::vector<size_t>, COMMAND_COUNT> byFrom_;  // plain rows by from-command
  std::vector<Window> windows_;
  Times channel_;
  std::vector<Times> rank_, group_, bank_;
};

}  // namespace specmamba::dram
