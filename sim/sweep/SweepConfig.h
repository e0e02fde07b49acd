#pragma once
// A design-space sweep (configs/sweeps/*.json): a base experiment, a space of
// values at JSON pointers into it (grid, zip, seeded random, Latin
// hypercube), derived fields, constraints that prune points before they run,
// the figures each record keeps and the objectives of the Pareto front. All
// validation is here; errors name the sweep file and the JSON pointer.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/sweep/Expression.h"

namespace specmamba::sweep {

// One swept field of a block: explicit values, or for random/latin blocks a
// continuous range [lo, hi) when no step makes it a list.
struct Dimension {
  std::string pointer;           // into the experiment
  std::string where;             // its pointer in the sweep file (errors)
  std::vector<nlohmann::json> values;
  bool continuous = false;
  double lo = 0, hi = 0;
  std::string created;  // the highest object of `pointer` the base lacks ("": none)
};

struct SpaceBlock {
  enum Kind { Grid, Zip, Random, Latin } kind = Grid;
  std::vector<Dimension> dims;
  // Zip, random and latin blocks: one row of values (one per dim) per point.
  std::vector<std::vector<nlohmann::json>> rows;
  int64_t size() const;
  // The dims' values of the block's `i`-th point.
  std::vector<nlohmann::json> at(int64_t i) const;
};

struct NamedExpression {
  std::string name;   // experiment pointer (derived) or figure name
  std::string where;  // pointer in the sweep file
  Expression expr;
  std::string created;  // derived fields: as Dimension::created
};

struct Objective {
  std::string key;  // a figure name, or an experiment pointer ("/accelerator/cop")
  bool maximize = true;
};

struct SweepConfig {
  std::string name;
  std::string origin;        // the sweep file
  std::string baseOrigin;    // where the base experiment came from
  nlohmann::json base;       // the base experiment document
  std::vector<SpaceBlock> blocks;
  std::vector<NamedExpression> derived;
  std::vector<NamedExpression> constraints;  // name: "constraint i"
  std::vector<NamedExpression> figures;      // the user's, on top of the standard ones
  std::vector<Objective> objectives;         // empty: the standard ones the runs have
  // The sweep document with the base experiment written in place (what
  // DIR/sweep.json keeps, so merging needs no file but the results), and its
  // hash: the sweep's identity; a results directory belongs to exactly one.
  nlohmann::json canonical;
  std::string hash;

  // Points before pruning and de-duplication: the product of the blocks' sizes.
  int64_t size() const;
};

// At most this many points per sweep (split larger spaces into several sweeps).
constexpr int64_t kMaxSweepPoints = 1000000;

SweepConfig parseSweep(const nlohmann::json& doc, const std::string& origin);
SweepConfig loadSweep(const std::string& nameOrPath);

// One point of the space, resolved into a full experiment document.
struct SweepPoint {
  int64_t index = 0;          // position in the enumeration (first block slowest)
  nlohmann::json params;      // experiment pointer -> value, swept and derived
  nlohmann::json experiment;  // the base with the point's values applied
  std::string id;             // content hash of `experiment`
  // Empty: to run. "infeasible": a constraint prunes it. "error": a derived
  // field or constraint could not be evaluated (text in `error`).
  std::string status;
  std::string error;
};

SweepPoint resolvePoint(const SweepConfig& sweep, int64_t index);

// Indices of the points that run, in order: the first of every set of
// points that resolve to the same experiment (same id). `duplicates` counts
// the rest; `ids`, when given, receives the returned points' ids (in order).
std::vector<int64_t> uniquePoints(const SweepConfig& sweep, int64_t* duplicates,
                                  std::vector<std::string>* ids = nullptr);

// Checks what only a resolved point can show (a swept key the experiment
// does not know, a field an expression reads that does not exist) on the
// first point, and throws ConfigError naming the sweep file's pointer.
void checkFirstPoint(const SweepConfig& sweep);

// 16 hex digits of FNV-1a 64 over `text`.
std::string contentHash(const std::string& text);

}  // namespace specmamba::sweep
