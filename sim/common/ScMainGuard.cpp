// libsystemc.so carries its own main(), which calls sc_main(). Our programs
// (the CLI, tests, benchmarks) define main() themselves and start SystemC
// with sc_start(), so this sc_main is never reached; it exists because the
// linker must resolve libsystemc.so's reference to it.
#include <cstdio>

extern "C" int sc_main(int, char**) {
  std::fputs("specmamba: internal error: SystemC's sc_main was called\n", stderr);
  return 2;
}
