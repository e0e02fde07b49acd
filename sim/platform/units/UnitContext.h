#pragma once
// What every accelerator unit implementation gets from the platform, and the
// rules all of them follow.
//
// Time. A unit method is called from one of the sequencer's SC_THREADs and
// returns when the unit has finished the job *in simulated time*: it consumes
// time only with sc_core::wait() (never by returning a cycle count). All
// units run on the accelerator clock (`clock`, period `period`; the clock
// object exists, and ticks, only when some unit is not `fast`); the memory
// clock lives behind the StreamPort. A `fast` unit waits latency + II x work
// cycles from units/UnitTiming.h; an `rtl` unit drives its Verilated model on
// `clock` edges until the outputs have left it.
//
// Data. In a functional run (`golden` non-null) every pointer of a job is
// valid and the unit must produce exactly the integer golden model's values
// (intops / Mamba2Int phases, SPEC §3). In a timing-only run (`golden` null)
// every data pointer is null: the unit only spends the job's cycles (an rtl
// unit may feed zeros).
//
// Activity. A unit reports each interval in which it computes (not waits for
// input) with `log->busy(kind, start, end)` in accelerator cycles; the run
// report's utilization and overlap figures are built from these intervals.
#include <systemc>

#include "models/int/Mamba2Int.h"
#include "sim/platform/AcceleratorConfig.h"
#include "sim/platform/units/ActivityLog.h"

namespace specmamba::platform {

struct UnitContext {
  const ModelConfig* model = nullptr;
  const AcceleratorConfig* accel = nullptr;
  sc_core::sc_clock* clock = nullptr;  // the accelerator clock (null when every unit is fast)
  sc_core::sc_time period;             // one accelerator cycle
  ActivityLog* log = nullptr;
  // The integer golden model whose on-chip constants (LUTs, norm tables,
  // dt_bias, A, D) the units use; null in timing-only runs.
  const Mamba2Int* golden = nullptr;

  Cycle now() const { return Cycle(sc_core::sc_time_stamp() / period); }
  // Computes for `cycles` cycles: logs the interval as busy and waits it.
  void compute(UnitKind unit, Cycle cycles) const;
};

}  // namespace specmamba::platform
