#pragma once
#include "sim/memory/Policies.h"

namespace specmamba::dram {

// Rows stay open until a conflict (or refresh) closes them.
class PagePolicyOpen final : public PagePolicy {
 public:
  bool autoPrecharge(int) const override { return false; }
};

// Every column command auto-precharges (RDA/WRA).
class PagePolicyClosed final : public PagePolicy {
 public:
  bool autoPrecharge(int) const override { return true; }
};

// Auto-precharges unless another queued request hits the same row.
class PagePolicyClosedAdaptive final : public PagePolicy {
 public:
  bool autoPrecharge(int otherHits) const override { return otherHits == 0; }
};

}  // namespace specmamba::dram
