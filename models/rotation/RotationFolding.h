#pragma once
// Offline rotation folding (SPEC §3): the FP32 weights of a model whose
// residual stream is rotated by the orthonormal Hadamard R of order d_model
// (folded into embedding, in_proj, out_proj and the LM head), and optionally
// whose out_proj expects its input rotated online by the Hadamard R2 of order
// d_inner. Before quantization the result computes exactly the same function
// (tests/int/RotationTest.cpp).
#include <string>

#include "models/weights/Mamba2Weights.h"

namespace specmamba {

enum class RotationMode {
  None,         // no rotation at all
  OfflineOnly,  // the release: residual-side rotation folded, HTU off
  Online,       // the paper: folded + online Hadamard before out_proj
};
RotationMode parseRotationMode(const std::string& name);  // "none" | "offline-only" | "online"
const char* rotationModeName(RotationMode m);

// * residual r' = R r: embedding rows e' = R e; out_proj W_out' = R W_out;
// * RMSNorm commutes with R (norm(R r) = R norm(r)), so each pre-norm weight
//   is folded into in_proj first, W_in' = W_in diag(w) R^T, and becomes 1;
// * the final norm weight goes into the LM head: H' = H diag(w_f) R^T, w_f = 1
//   (the head is then untied from the embedding);
// * Online: W_out'' = W_out' R2^T and weights.onlineHadamard = true.
Mamba2Weights foldRotations(const Mamba2Weights& w, RotationMode mode);

}  // namespace specmamba
