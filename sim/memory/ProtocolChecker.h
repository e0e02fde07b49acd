#pragma once
// Independent check of every command a controller issues: it keeps the
// command history and bank states of the devices and, for each new command,
// looks back over that history against every row of the timing table and
// checks the bank state (ACT to a closed bank, column commands to the open
// row, refresh only with the banks closed). It shares only the table (the
// data) with the controller, not the algorithm. Violations stop the run.
#include <deque>
#include <string>
#include <vector>

#include "models/common/Error.h"
#include "sim/memory/DramSpec.h"
#include "sim/memory/TimingTable.h"

namespace specmamba::dram {

class ProtocolViolation : public Error {
 public:
  using Error::Error;
};

struct Violation {
  std::string constraint;  // table row name, or "bank state"
  std::string detail;
};

class ProtocolChecker {
 public:
  ProtocolChecker(const DramSpec& spec, std::vector<TimingConstraint> table);

  // Everything `cmd` at `now` would violate (empty: legal). No state change.
  std::vector<Violation> check(Command cmd, const DramAddress& a, Cycle now) const;
  // Records the command (history and bank state) without checking it.
  void record(Command cmd, const DramAddress& a, Cycle now);
  // check() then record(); throws ProtocolViolation naming command, cycle and constraint.
  void onCommand(Command cmd, const DramAddress& a, Cycle now);

  uint64_t commandsChecked() const { return checked_; }

 private:
  size_t bankIndex(int rank, int group, int bank) const {
    return size_t((rank * org_.bankGroups + group) * org_.banksPerGroup + bank);
  }
  // Latest issue of `from` among the banks/ranks the row's scope shares with `a`.
  Cycle lastIssue(const TimingConstraint& c, const DramAddress& a) const;
  bool inScope(const TimingConstraint& c, const DramAddress& a, size_t bank) const;

  DramOrganization org_;
  std::vector<TimingConstraint> table_;
  std::vector<std::array<Cycle, COMMAND_COUNT>> lastBank_;  // per bank, bank commands
  std::vector<std::array<Cycle, COMMAND_COUNT>> lastRank_;  // per rank, rank commands
  std::vector<int64_t> openRow_;                            // per bank, -1 closed
  // Per window row and rank: issue times of its from-command (newest last).
  std::vector<std::vector<std::deque<Cycle>>> windows_;
  Cycle lastCycle_ = -1;
  uint64_t checked_ = 0;
};

}  // namespace specmamba::dram
