#pragma once
// The one registry of controller policies: names -> implementations. An
// unknown name lists the valid ones.
#include <memory>
#include <string>
#include <vector>

#include "sim/memory/DramSpec.h"
#include "sim/memory/Policies.h"

namespace specmamba::dram {

std::vector<std::string> schedulerNames();
std::vector<std::string> pagePolicyNames();
std::vector<std::string> refreshPolicyNames();

std::unique_ptr<Scheduler> makeScheduler(const std::string& name);
std::unique_ptr<PagePolicy> makePagePolicy(const std::string& name);
std::unique_ptr<RefreshPolicy> makeRefreshPolicy(const std::string& name, const DramSpec& spec);

}  // namespace specmamba::dram
