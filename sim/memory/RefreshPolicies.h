#pragma once
// Refresh scheduling: all-bank (REFab every tREFI per rank, ranks staggered),
// per-bank (REFpb to one bank every tREFI / banks, round robin; HBM's
// REFSB), or none. A refresh is issued as soon as it is due; postponing and
// pulling in are not modelled (docs/memory.md).
#include <vector>

#include "sim/memory/Policies.h"

namespace specmamba::dram {

class RefreshNone final : public RefreshPolicy {
 public:
  Cycle nextDue() const override { return NEVER; }
  RefreshTarget target() const override { return {}; }
  void refreshed() override {}
  bool perBank() const override { return false; }
};

class RefreshAllBank final : public RefreshPolicy {
 public:
  RefreshAllBank(int ranks, Cycle tREFI);
  Cycle nextDue() const override { return due_[next_]; }
  RefreshTarget target() const override { return {int(next_), -1}; }
  void refreshed() override;
  bool perBank() const override { return false; }

 private:
  Cycle interval_;
  std::vector<Cycle> due_;
  size_t next_ = 0;
};

class RefreshPerBank final : public RefreshPolicy {
 public:
  RefreshPerBank(int ranks, int banksPerRank, Cycle tREFI);
  Cycle nextDue() const override { return due_[next_]; }
  RefreshTarget target() const override { return {int(next_), cursor_[next_]}; }
  void refreshed() override;
  bool perBank() const override { return true; }

 private:
  Cycle interval_;
  int banks_;
  std::vector<Cycle> due_;
  std::vector<int> cursor_;
  size_t next_ = 0;
};

}  // namespace specmamba::dram
