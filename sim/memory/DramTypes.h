#pragma once
// Strong types of the DRAM model's hot path: the command set, the scopes a
// timing constraint can span, a decoded address and the cycle count. Cycles
// are DRAM command-clock cycles (tCK of the preset) throughout sim/memory/.
#include <array>
#include <cstdint>
#include <string>

namespace specmamba::dram {

using Cycle = int64_t;
constexpr Cycle NEVER = INT64_MAX / 4;

enum class Command : uint8_t { ACT, PRE, PREA, RD, WR, RDA, WRA, REFab, REFpb };
constexpr size_t COMMAND_COUNT = 9;
constexpr std::array<Command, COMMAND_COUNT> ALL_COMMANDS = {
    Command::ACT, Command::PRE, Command::PREA,  Command::RD,   Command::WR,
    Command::RDA, Command::WRA, Command::REFab, Command::REFpb};

constexpr size_t index(Command c) { return size_t(c); }
const char* commandName(Command c);

constexpr bool isRead(Command c) { return c == Command::RD || c == Command::RDA; }
constexpr bool isWrite(Command c) { return c == Command::WR || c == Command::WRA; }
constexpr bool isColumn(Command c) { return isRead(c) || isWrite(c); }
constexpr bool isAutoPrecharge(Command c) { return c == Command::RDA || c == Command::WRA; }
// Rank-level commands address every bank of a rank (bank fields ignored).
constexpr bool isRankCommand(Command c) { return c == Command::PREA || c == Command::REFab; }

// The part of the hierarchy a timing constraint spans: a constraint of scope
// Rank between RD and RD holds between any two reads of the same rank.
enum class Scope : uint8_t { Channel, Rank, BankGroup, Bank };
const char* scopeName(Scope s);

struct DramAddress {
  int channel = 0;
  int rank = 0;
  int bankGroup = 0;
  int bank = 0;  // within its bank group
  int64_t row = 0;
  int64_t column = 0;  // first column of the burst
};

std::string describe(Command c, const DramAddress& a);

}  // namespace specmamba::dram
