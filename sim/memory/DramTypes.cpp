#include "sim/memory/DramTypes.h"

#include <fmt/format.h>

namespace specmamba::dram {

const char* commandName(Command c) {
  static constexpr const char* NAMES[COMMAND_COUNT] = {"ACT", "PRE", "PREA",  "RD",   "WR",
                                                       "RDA", "WRA", "REFab", "REFpb"};
  return NAMES[index(c)];
}

const char* scopeName(Scope s) {
  switch (s) {
    case Scope::Channel:
      return "channel";
    case Scope::Rank:
      return "rank";
    case Scope::BankGroup:
      return "bank group";
    case Scope::Bank:
      return "bank";
  }
  return "?";
}

std::string describe(Command c, const DramAddress& a) {
  if (isRankCommand(c)) return fmt::format("{} ch{} ra{}", commandName(c), a.channel, a.rank);
  if (c == Command::ACT || c == Command::PRE || c == Command::REFpb) {
    return fmt::format("{} ch{} ra{} bg{} ba{} row {}", commandName(c), a.channel, a.rank,
                       a.bankGroup, a.bank, a.row);
  }
  return fmt::format("{} ch{} ra{} bg{} ba{} row {} col {}", commandName(c), a.channel, a.rank,
                     a.bankGroup, a.bank, a.row, a.column);
}

}  // namespace specmamba::dram
