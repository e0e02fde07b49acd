#include "models/rotation/RotationFolding.h"

#include <fmt/format.h>

#include "models/common/Error.h"
#include "models/rotation/Hadamard.h"

namespace specmamba {

RotationMode parseRotationMode(const std::string& name) {
  if (name == "none") return RotationMode::None;
  if (name == "offline-only") return RotationMode::OfflineOnly;
  if (name == "online") return RotationMode::Online;
  throw Error(
      fmt::format("unknown rotation mode \"{}\" (valid: none, offline-only, online)", name));
}

const char* rotationModeName(RotationMode m) {
  switch (m) {
    case RotationMode::None:
      return "none";
    case RotationMode::OfflineOnly:
      return "offline-only";
    case RotationMode::Online:
      return "online";
  }
  return "?";
}

Mamba2Weights foldRotations(const Mamba2Weights& src, RotationMode mode) {
  Mamba2Weights w = src;
  if (mode == RotationMode::None) return w;
  if (src.onlineHadamard) throw Error("weights are already rotated");
  const ModelConfig& c = w.config;
  const HadamardRotation R(c.dModel);

  R.applyToRows(w.embedding.data.data(), w.embedding.rows);
  Matrix head = src.lmHeadMatrix();
  for (int r = 0; r < head.rows; ++r) {
    float* row = head.row(r);
    for (int i = 0; i < c.dModel; ++i) row[i] *= w.normF[size_t(i)];
  }
  R.applyToRows(head.data.data(), head.rows);
  w.lmHead = std::move(head);
  w.normF.assign(size_t(c.dModel), 1.0f);

  for (auto& L : w.layers) {
    for (int r = 0; r < L.inProj.rows; ++r) {
      float* row = L.inProj.row(r);
      for (int i = 0; i < c.dModel; ++i) row[i] *= L.norm[size_t(i)];
    }
    R.applyToRows(L.inProj.data.data(), L.inProj.rows);
    L.norm.assign(size_t(c.dModel), 1.0f);
    R.applyToColumns(L.outProj.data.data(), L.outProj.cols);
  }
  if (mode == RotationMode::Online) {
    const HadamardRotation R2(c.dInner);
    for (auto& L : w.layers) R2.applyToRows(L.outProj.data.data(), L.outProj.rows);
    w.onlineHadamard = true;
  }
  return w;
}

}  // namespace specmamba
