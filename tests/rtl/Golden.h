#pragma once
// The bit-exact reference each RTL testbench compares against. Every function
// here forwards to the integer golden model (models/int, issue 7) once it is
// merged; until then the SPEC §3 formula is written out below and marked so.
#include <cstdint>

namespace specmamba::rtltest::golden {

// Group PoT quantizer (SPEC §3): n values -> codes in q, returns exponent s.
int actQuantGroup(const int64_t* x, int n, int bits, int64_t* q);

}  // namespace specmamba::rtltest::golden
