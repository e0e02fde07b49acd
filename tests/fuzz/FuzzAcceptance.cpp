// Speculative acceptance inputs, chosen by the first byte: an acceptance
// profile (configs/acceptance) or a recorded acceptance trace (--record-trace),
// both read from a file as the CLI does; a trace is then replayed for a few steps.
#include "models/common/Error.h"
#include "models/speculative/AcceptanceModel.h"
#include "tests/fuzz/FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string path = specmamba::fuzz::writeInput(data + 1, size - 1, ".json");
  try {
    if (data[0] % 2 == 0) {
      (void)specmamba::loadAcceptanceProfile(path);
    } else {
      specmamba::TraceAcceptance trace(path);
      for (int i = 0; i < 64; ++i) (void)trace.next(4);
      (void)trace.describe();
    }
  } catch (const specmamba::Error&) {
  }
  return 0;
}
