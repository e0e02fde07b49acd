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
    return earliest(cmd, size_t(a.rank), bankNode(a));
  }
  // The same for a bank given by rank and flat index ((rank * groups + group) * banks + bank).
  Cycle earliest(Command cmd, size_t rank, size_t bank) const {
    const size_t k = index(cmd);
    const Cycle t = rank_[rank][k];
    return isRankCommand(cmd) ? t : std::max(t, bank_[k * banks_ + bank]);
  }
  void issue(Command cmd, const DramAddress& a, Cycle now);

  // Test-only hook: drops every row named `name` so that the protocol checker
  // can be shown to catch the violations that follow. Returns rows removed.
  int disableConstraint(const std::string& name);

 private:
  // Times are kept folded: rank_[r] holds what channel- and rank-scope rows
  // impose on rank r, bank_[b] what bank-group- and bank-scope rows impose
  // on bank b. Every update is a max, so folding at issue time gives the
  // same earliest() as keeping one array per scope node, with two loads
  // instead of four on the controller's hot path. bank_ is command-major
  // (bank_[k * banks + b]): a controller step asks one command of many
  // banks, which then share cache lines.
  using Times = std::array<Cycle, COMMAND_COUNT>;
  // The plain (window 1) rows that start at one command, compiled for
  // issue(): split by scope, one entry per (scope, to) with the largest
  // latency (max of the rows it stands for), and the windowed rows' indices.
  struct Push {
    size_t to;
    Cycle latency;
  };
  struct FromRows {
    std::vector<Push> channel, rank, group, bank, sibling;
    std::vector<size_t> windows;  // into windows_
  };
  struct Window {
    size_t row;
    std::vector<std::deque<Cycle>> history;  // per node of the row's scope
  };
  size_t groupNode(const DramAddress& a) const {
    return size_t(a.rank * bankGroups_ + a.bankGroup);
  }
  size_t bankNode(const DramAddress& a) const {
    return size_t((a.rank * bankGroups_ + a.bankGroup) * banksPerGroup_ + a.bank);
  }
  void apply(Scope s, size_t to, const DramAddress& a, Cycle until);
  void buildIndex();

  int ranks_, bankGroups_, banksPerGroup_;
  std::vector<TimingConstraint> table_;
  std::array<FromRows, COMMAND_COUNT> byFrom_;
  std::vector<Window> windows_;
  size_t banks_;
  std::vector<Times> rank_;
  std::vector<Cycle> bank_;
};

}  // namespace specmamba::dram
