// specmamba: one binary, one subcommand per job. Errors a user can cause
// print one line naming what is wrong and exit 1; nothing else is caught.
#include <fmt/format.h>

#include <cstdio>

#include "models/common/Error.h"
#include "sim/cli/Commands.h"
#include "sim/common/SanitizerOptions.h"
#include "sim/platform/rtl/RtlUnits.h"


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
  specmamba::cli::addBaselineCommand(app, action);

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
