// specmamba: one binary, one subcommand per job. Errors a user can cause
// print one line naming what is wrong and exit 1; nothing else is caught.
#include <fmt/format.h>

#include <cstdio>

#include "models/common/Error.h"
#include "sim/cli/Commands.h"

int main(int argc, char** argv) {
  CLI::App app{"specmamba: cycle-accurate Mamba2 decode accelerator simulator (LightMamba + SpecMamba)"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");

  specmamba::cli::Action action;
  specmamba::cli::addInfoCommand(app, action);
  specmamba::cli::addGenerateCommand(app, action);
  specmamba::cli::addDramCommand(app, action);

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
