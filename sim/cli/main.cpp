// specmamba: one binary, one subcommand per job. Errors a user can cause
// print one line naming what is wrong and exit 1; nothing else is caught.
#include <fmt/format.h>

#include <cstdio>

#include "models/common/Error.h"
#include "sim/cli/Commands.h"
#include "sim/platform/rtl/RtlUnits.h"

#if defined(__SANITIZE_ADDRESS__)
// asan build only. The leak check at exit can take a SystemC coroutine's
// stack for the main thread's stack (seen after speculative runs, where
// threads finish while others still wait). It then scans that stack's
// PROT_NONE guard pages and its tracer dies with SIGSEGV. Thread stacks hold
// no owning pointers once main has returned, so we skip scanning them.
// Globals, TLS, registers and the heap are still scanned. Skipping them can
// only report more leaks, never hide one (docs/reliability.md).
extern "C" const char* __lsan_default_options() { return "use_stacks=0"; }
#endif

int main(int argc, char** argv) {
  CLI::App app{"specmamba: cycle-accurate Mamba2 decode accelerator simulator (LightMamba + SpecMamba)"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");

  specmamba::platform::registerRtlUnits();  // "rtl" unit implementations (accelerator.units)
  specmamba::cli::Action action;
  specmamba::cli::addInfoCommand(app, action);
  specmamba::cli::addGenerateCommand(app, action);
  specmamba::cli::addQuantReportCommand(app, action);
  specmamba::cli::addExportVectorsCommand(app, action);
  specmamba::cli::addDramCommand(app, action);
  specmamba::cli::addRunCommand(app, action);
  specmamba::cli::addSweepCommand(app, action);

  // CLI11 would only say "A subcommand is required" for a mistyped one.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    std::string names;
    for (const auto* sub : app.get_subcommands({})) {
      known = known || sub->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      fmt::print(stderr, "specmamba: error: unknown command \"{}\" (known: {})\n", argv[1], names);
      return 1;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return action();
  } catch (const specmamba::Error& e) {
    fmt::print(stderr, "specmamba: error: {}\n", e.what());
    return 1;
  }
}
