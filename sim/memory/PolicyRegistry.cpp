#include "sim/memory/PolicyRegistry.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/common/Error.h"
#include "sim/memory/PagePolicies.h"
#include "sim/memory/RefreshPolicies.h"
#include "sim/memory/Schedulers.h"

namespace specmamba::dram {

namespace {

[[noreturn]] void unknown(const char* what, const std::string& name,
                          const std::vector<std::string>& known) {
  throw Error(fmt::format("unknown {} \"{}\" (known: {})", what, name, fmt::join(known, ", ")));
}

}  // namespace

RefreshAllBank::RefreshAllBank(int ranks, Cycle tREFI) : interval_(tREFI) {
  for (int r = 0; r < ranks; ++r) due_.push_back(tREFI + r * tREFI / ranks);
}

void RefreshAllBank::refreshed() {
  due_[next_] += interval_;
  next_ = size_t(std::min_element(due_.begin(), due_.end()) - due_.begin());
}

RefreshPerBank::RefreshPerBank(int ranks, int banksPerRank, Cycle tREFI)
    : interval_(std::max<Cycle>(1, tREFI / banksPerRank)), banks_(banksPerRank) {
  for (int r = 0; r < ranks; ++r) {
    due_.push_back(interval_ + r * interval_ / ranks);
    cursor_.push_back(0);
  }
}

void RefreshPerBank::refreshed() {
  due_[next_] += interval_;
  cursor_[next_] = (cursor_[next_] + 1) % banks_;
  next_ = size_t(std::min_element(due_.begin(), due_.end()) - due_.begin());
}

std::vector<std::string> schedulerNames() { return {"fr-fcfs", "fcfs"}; }
std::vector<std::string> pagePolicyNames() { return {"open", "closed", "closed-adaptive"}; }
std::vector<std::string> refreshPolicyNames() { return {"all-bank", "per-bank", "none"}; }

std::unique_ptr<Scheduler> makeScheduler(const std::string& name) {
  if (name == "fr-fcfs") return std::make_unique<SchedulerFrFcfs>();
  if (name == "fcfs") return std::make_unique<SchedulerFcfs>();
  unknown("scheduler", name, schedulerNames());
}

std::unique_ptr<PagePolicy> makePagePolicy(const std::string& name) {
  if (name == "open") return std::make_unique<PagePolicyOpen>();
  if (name == "closed") return std::make_unique<PagePolicyClosed>();
  if (name == "closed-adaptive") return std::make_unique<PagePolicyClosedAdaptive>();
  unknown("page policy", name, pagePolicyNames());
}

std::unique_ptr<RefreshPolicy> makeRefreshPolicy(const std::string& name, const DramSpec& spec) {
  if (name == "all-bank")
    return std::make_unique<RefreshAllBank>(spec.org.ranks, spec.timing.tREFI);
  if (name == "per-bank") {
    return std::make_unique<RefreshPerBank>(spec.org.ranks, spec.org.banksPerRank(),
                                            spec.timing.tREFI);
  }
  if (name == "none") return std::make_unique<RefreshNone>();
  unknown("refresh policy", name, refreshPolicyNames());
}

}  // namespace specmamba::dram
