#pragma once
// SpecMamba's decode loop (SPEC §5) on the FP32 golden models: the draft
// expands a static token tree, the target verifies all of it in one pass,
// the longest root path whose tokens equal the target's argmax is accepted
// plus the target's bonus token, and both models roll their states back to
// the last accepted node. Greedy acceptance is lossless: the output equals
// target-only greedy decoding.
#include <memory>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "models/speculative/AcceptanceModel.h"
#include "models/speculative/Fp32TreeModel.h"

namespace specmamba {

struct StepRecord {
  int accepted = 0;  // draft tokens accepted (0..depth); each step also emits a bonus token
  std::vector<int> emitted;
  Ledger draft;
  Ledger target;
};

struct SpeculativeResult {
  std::vector<int> tokens;  // generated tokens (exactly the requested count; empty if statistical)
  int generated = 0;
  std::vector<StepRecord> steps;
  Ledger draftTotal;
  Ledger targetTotal;
  int fifoHighWater = 0;
  double meanAcceptedPerPass() const;  // tokens emitted per target pass
  std::vector<int> acceptedLengths() const;
};

// Greedy acceptance: nodes root..ck of the longest path whose every token is
// the target's argmax at its parent; returns that path and the bonus token.
std::vector<int> acceptGreedy(const TokenTree& tree, const std::vector<int>& tokens,
                              const Matrix& targetLogits, int& bonus);

class SpeculativeDecoder {
 public:
  SpeculativeDecoder(const Fp32TreeModel& draft, const Fp32TreeModel& target);

  // Consumes `prompt` (non-empty) and generates `count` tokens.
  SpeculativeResult generate(const std::vector<int>& prompt, int count) const;

 private:
  const Fp32TreeModel& draft_;
  const Fp32TreeModel& target_;
};

// Statistical mode: no model runs; each step's accepted length comes from
// `source` and the traffic from the accounting alone. The accepted path
// follows each node's first child.
SpeculativeResult simulateAcceptance(const TokenTree& tree, const StepAccounting& draft,
                                     const StepAccounting& target, AcceptanceSource& source,
                                     int count);

// Target-only greedy decoding on the same recurrent path (the lossless reference):
// prompt[0..n-2] prefilled, then one token at a time.
std::vector<int> targetOnlyGreedy(const Mamba2Fp32& target, const std::vector<int>& prompt,
                                  int count);

}  // namespace specmamba
