#pragma once
// The two element-wise steps of an SSMU head-group job around the SSM step
// proper, as the golden model computes them (shared by the fast and the rtl
// SSMU: sm_ssmu starts at the quantized dt and ends at y).
#include "sim/platform/units/Ssmu.h"

namespace specmamba::platform {

// dt of heads [h0, h1) = softplus(dt_raw + dt_bias), quantized to 8 bits
// into job.in->dt (as Mamba2Int::prepare).
void ssmuDt(const Mamba2Int& golden, const SsmGroupJob& job);
// job.yz of the group's channels = y·SiLU(z), each side quantized to 8 bits
// per group of 8 (as Mamba2Int::finish); y is d_inner long.
void ssmuGate(const Mamba2Int& golden, const SsmGroupJob& job, const int32_t* y);

}  // namespace specmamba::platform
