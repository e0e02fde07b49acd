#pragma once
// LeakSanitizer defaults of the asan build. Include in exactly one source
// file per executable: the one that defines main (the CLI, the bench, the
// Catch2 main of the tests); it defines a function the sanitizer runtime
// looks up.
//
// The leak check at exit can take a SystemC coroutine's stack for the main
// thread's stack (seen after runs where some SC_THREADs finished while others
// still wait: ASan warns "ignoring requested __asan_handle_no_return"). It
// then scans that stack's PROT_NONE guard pages and its tracer dies with
// SIGSEGV ("Tracer caught signal 11"), failing a run that passed. Thread
// stacks hold no owning pointers once main has returned, so their scan is
// skipped; globals, TLS, registers and the heap are still scanned. Skipping
// roots can only report more leaks, never hide one (docs/reliability.md).
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char* __lsan_default_options() { return "use_stacks=0"; }
#endif
