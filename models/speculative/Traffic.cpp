#include "models/speculative/Traffic.h"

#include <nlohmann/json.hpp>

namespace specmamba {

namespace {
// int8 values plus one 4-bit exponent per group of 8 (SPEC §3).
int64_t int8WithExponents(int64_t values) { return values + (values + 15) / 16; }
}  // namespace

const char* trafficName(Traffic t) {
  switch (t) {
    case Traffic::Weights: return "weights";
    case Traffic::CommittedStateRead: return "committed_state_read";
    case Traffic::CommittedStateWrite: return "committed_state_write";
    case Traffic::NodeStateStore: return "node_state_store_dram";
    case Traffic::NodeStateStoreOnChip: return "node_state_store_onchip";
    case Traffic::CachedInputsWrite: return "cached_inputs_write";
    case Traffic::CachedInputsRead: return "cached_inputs_read";
    case Traffic::FifoOnChip: return "fifo_onchip";
    case Traffic::FifoSpill: return "fifo_spill_dram";
    case Traffic::kCount: break;
  }
  return "?";
}

const char* computeName(Compute c) {
  switch (c) {
    case Compute::MmuMacs: return "mmu_macs";
    case Compute::WeightPasses: return "weight_passes";
    case Compute::ConvMacs: return "conv_macs";
    case Compute::SsmUpdates: return "ssm_updates";
    case Compute::SsmReplayUpdates: return "ssm_replay_updates";
    case Compute::NodesProcessed: return "node_layers";
    case Compute::kCount: break;
  }
  return "?";
}

int64_t Ledger::dramBytes() const {
  return (*this)[Traffic::Weights] + (*this)[Traffic::CommittedStateRead] +
         (*this)[Traffic::CommittedStateWrite] + (*this)[Traffic::NodeStateStore] +
         (*this)[Traffic::CachedInputsWrite] + (*this)[Traffic::CachedInputsRead] +
         (*this)[Traffic::FifoSpill];
}

Ledger& Ledger::operator+=(const Ledger& o) {
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] += o.bytes[i];
  for (size_t i = 0; i < ops.size(); ++i) ops[i] += o.ops[i];
  return *this;
}

nlohmann::ordered_json Ledger::toJson() const {
  nlohmann::ordered_json j;
  for (int i = 0; i < int(Traffic::kCount); ++i) j["bytes"][trafficName(Traffic(i))] = bytes[size_t(i)];
  j["bytes"]["dram_total"] = dramBytes();
  for (int i = 0; i < int(Compute::kCount); ++i) j["compute"][computeName(Compute(i))] = ops[size_t(i)];
  return j;
}

LayerFootprint LayerFootprint::of(const ModelConfig& c, int weightBits) {
  LayerFootprint f;
  const int64_t weights = int64_t(c.inProjOut()) * c.dModel + int64_t(c.dModel) * c.dInner;
  // 256-bit beats: 64 int4 (or 32 int8) weights each, 3 scale beats per 256 weight beats
  // (SPEC §4: 2.7B = 2,453 loops of 3 + 256 beats, the last with 128).
  const int64_t perBeat = 256 / weightBits;
  const int64_t weightBeats = (weights + perBeat - 1) / perBeat;
  const int64_t loops = (weightBeats + 255) / 256;
  f.weightBytes = (weightBeats + 3 * loops) * 32;
  f.ssmElements = int64_t(c.dState) * c.dInner;
  f.ssmStateBytes = int8WithExponents(f.ssmElements);
  f.convStateBytes = int8WithExponents(int64_t(c.dConv - 1) * c.convDim());
  f.ssmInputBytes = int8WithExponents(int64_t(c.convDim()) + c.nHeads);
  f.convInputBytes = int8WithExponents(c.convDim());
  f.linearMacs = weights;
  return f;
}

}  // namespace specmamba
