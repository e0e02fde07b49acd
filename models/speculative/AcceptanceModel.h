#pragma once
// Acceptance without running the draft (SPEC §5, "acceptance in timing
// runs"): a seeded per-depth profile for large sweeps, or a recorded trace of
// accepted lengths replayed step by step.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/common/Rng.h"

namespace specmamba {

class AcceptanceSource {
 public:
  virtual ~AcceptanceSource() = default;
  // Accepted draft tokens of the next step, in [0, maxDepth].
  virtual int next(int maxDepth) = 0;
  virtual std::string describe() const = 0;
};

struct AcceptanceProfile {
  std::string name;
  std::string source;
  std::vector<double> acceptByDepth;  // P(reach depth d | reached d-1), d = 1..
};

// `nameOrPath`: a name of configs/acceptance (embedded) or a JSON file.
AcceptanceProfile loadAcceptanceProfile(const std::string& nameOrPath);

class ProfileAcceptance final : public AcceptanceSource {
 public:
  ProfileAcceptance(AcceptanceProfile profile, uint64_t seed);
  int next(int maxDepth) override;
  std::string describe() const override;

 private:
  AcceptanceProfile profile_;
  Rng rng_;
};

class TraceAcceptance final : public AcceptanceSource {
 public:
  // JSON written by --record-trace: {"tree": "...", "accepted": [..]}.
  explicit TraceAcceptance(const std::string& path);
  int next(int maxDepth) override;
  std::string describe() const override;

 private:
  std::string path_;
  std::vector<int> accepted_;
  size_t pos_ = 0;
};

// Writes the accepted lengths of a run (atomically) for later replay.
void writeAcceptanceTrace(const std::string& path, const std::string& tree,
                          const std::vector<int>& accepted);

}  // namespace specmamba
