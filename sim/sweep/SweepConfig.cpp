#include "sim/sweep/SweepConfig.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <stdexcept>

#include "models/common/Fnv1a.h"
#include "models/common/JsonReader.h"
#include "models/common/Rng.h"
#include "models/config/EmbeddedConfigs.h"
#include "sim/platform/Experiment.h"
#include "sim/sweep/SweepRecords.h"

namespace specmamba::sweep {

using json = nlohmann::json;

std::string contentHash(const std::string& text) {
  Fnv1a h;
  h.add(text);
  return fmt::format("{:016x}", h.value);
}

int64_t SpaceBlock::size() const {
  if (kind != Grid) return int64_t(rows.size());
  int64_t n = 1;
  for (const Dimension& d : dims) n *= int64_t(d.values.size());
  return n;
}

std::vector<json> SpaceBlock::at(int64_t i) const {
  if (kind != Grid) return rows[size_t(i)];
  // The first dim varies slowest, like nested loops in the file's order.
  std::vector<json> v(dims.size());
  for (size_t d = dims.size(); d-- > 0;) {
    const int64_t n = int64_t(dims[d].values.size());
    v[d] = dims[d].values[size_t(i % n)];
    i /= n;
  }
  return v;
}

int64_t SweepConfig::size() const {
  int64_t n = 1;
  for (const SpaceBlock& b : blocks) n *= b.size();
  return n;
}

namespace {

constexpr int64_t kMaxDimValues = 1000000;

bool integral(const json& v) { return v.is_number_integer() || v.is_number_unsigned(); }

// A value list, or {"min", "max", "step"}: integers when all three are.
// Without a step, random and latin blocks draw from the continuous range
// (integers: every integer of it).
Dimension parseDimension(const JsonNode& node, const std::string& pointer, bool allowContinuous) {
  Dimension d;
  d.pointer = pointer;
  d.where = node.pointer();
  if (node.raw().is_array()) {
    for (const JsonNode& v : node.asArray(1, size_t(kMaxDimValues))) d.values.push_back(v.raw());
    return d;
  }
  if (!node.raw().is_object()) {
    node.fail("a list of values, or {\"min\": A, \"max\": B, \"step\": S}");
  }
  JsonObject r = node.asObject();
  const double lo = r.number("min", -1e18, 1e18);
  const double hi = r.number("max", -1e18, 1e18);
  const bool ints = integral(r.required("min").raw()) && integral(r.required("max").raw());
  if (hi < lo) r.required("max").fail(fmt::format("must be >= min ({})", lo));
  std::optional<JsonNode> stepNode = r.optional("step");
  r.finish();
  if (!stepNode && !ints) {
    if (!allowContinuous) node.fail("grid and zip ranges need a \"step\" (only random and latin draw from a range)");
    d.continuous = true;
    d.lo = lo;
    d.hi = hi;
    return d;
  }
  const double step = stepNode ? stepNode->asNumber(1e-12, 1e18) : 1.0;
  const bool intSteps = ints && (!stepNode || integral(stepNode->raw()));
  const double count = std::floor((hi - lo) / step + 1e-9) + 1;
  if (count > double(kMaxDimValues)) {
    node.fail(fmt::format("{} values; at most {} per dimension", count, kMaxDimValues));
  }
  for (int64_t k = 0; k < int64_t(count); ++k) {
    const double x = lo + double(k) * step;
    d.values.push_back(intSteps ? json(int64_t(std::llround(x))) : json(x));
  }
  return d;
}

json pick(const Dimension& d, double q) {
  if (d.continuous) return d.lo + q * (d.hi - d.lo);
  const size_t n = d.values.size();
  return d.values[std::min(n - 1, size_t(q * double(n)))];
}

// A pointer into the experiment names a field of the base, or a new key of an
// object the base has or the sweep creates (the experiment parser rejects
// unknown keys: checkFirstPoint). Returns the highest object the sweep
// creates ("" when the parent exists).
std::string checkPointer(const JsonNode& where, const std::string& pointer, const json& base) {
  json::json_pointer p;
  try {
    p = json::json_pointer(pointer);
  } catch (const json::exception&) {
    where.fail(fmt::format("\"{}\" is not a JSON pointer (\"/accelerator/tp\")", pointer));
  }
  if (p.empty()) where.fail("the pointer names the whole experiment; name a field (\"/accelerator/tp\")");
  for (json::json_pointer q = p; !q.empty(); q = q.parent_pointer()) {
    if (q.back().empty()) where.fail(fmt::format("\"{}\" has an empty key (\"//\" or a trailing \"/\")", pointer));
  }
  if (base.contains(p)) return "";
  json::json_pointer missing = p;
  json::json_pointer parent = p.parent_pointer();
  while (!base.contains(parent)) {
    missing = parent;
    parent = parent.parent_pointer();
  }
  if (!base.at(parent).is_object()) {
    where.fail(fmt::format("{} points into nothing: {} of the base experiment is not an object", pointer,
                           parent.empty() ? "the root" : parent.to_string()));
  }
  // Objects the sweep creates are objects: a numeric key would make an array.
  for (json::json_pointer q = p; q != parent; q = q.parent_pointer()) {
    const std::string& key = q.back();
    if (q != p && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      where.fail(fmt::format("{} points into nothing: the base experiment has no {} to index", pointer,
                             q.to_string()));
    }
  }
  return missing == p ? "" : missing.to_string();
}

Expression parseExpression(const JsonNode& node, const std::string& text) {
  try {
    return Expression(text);
  } catch (const std::invalid_argument& e) {
    node.fail(e.what());
  }
}

SpaceBlock parseBlock(const JsonNode& node, const SweepConfig& s) {
  if (!node.raw().is_object() || node.raw().size() != 1) {
    node.fail("a space block is one of {\"grid\": ...}, {\"zip\": ...}, {\"random\": ...}, {\"latin\": ...}");
  }
  JsonObject bo = node.asObject();
  SpaceBlock b;
  const std::string kind = node.raw().begin().key();
  if (kind != "grid" && kind != "zip" && kind != "random" && kind != "latin") {
    node.child(kind).fail("unknown space block (allowed: grid, zip, random, latin)");
  }
  const JsonNode body = bo.required(kind);
  b.kind = kind == "grid" ? SpaceBlock::Grid
           : kind == "zip" ? SpaceBlock::Zip
           : kind == "random" ? SpaceBlock::Random
                              : SpaceBlock::Latin;
  const bool sampled = b.kind == SpaceBlock::Random || b.kind == SpaceBlock::Latin;
  JsonNode dimsNode = body;
  int64_t samples = 0;
  uint64_t seed = 1;
  std::optional<JsonObject> so;
  if (sampled) {
    so.emplace(body.asObject());
    samples = so->integer("samples", 1, kMaxSweepPoints);
    seed = uint64_t(so->integer("seed", 0, int64_t(1) << 62, 1));
    dimsNode = so->required("dims");
  }
  if (!dimsNode.raw().is_object() || dimsNode.raw().empty()) {
    dimsNode.fail("an object of experiment pointers to values, with at least one entry (an empty space)");
  }
  for (const auto& item : dimsNode.raw().items()) {
    const JsonNode dn = dimsNode.child(item.key());
    const std::string created = checkPointer(dn, item.key(), s.base);
    b.dims.push_back(parseDimension(dn, item.key(), sampled));
    b.dims.back().created = created;
  }
  if (so) so->finish();
  if (b.kind == SpaceBlock::Zip) {
    const size_t n = b.dims[0].values.size();
    for (const Dimension& d : b.dims) {
      if (d.values.size() != n) {
        dimsNode.child(d.pointer).fail(
            fmt::format("zip needs lists of one length: {} has {}, {} has {}", b.dims[0].pointer, n, d.pointer,
                        d.values.size()));
      }
    }
    for (size_t i = 0; i < n; ++i) {
      std::vector<json> row;
      for (const Dimension& d : b.dims) row.push_back(d.values[i]);
      b.rows.push_back(std::move(row));
    }
  } else if (b.kind == SpaceBlock::Random) {
    Rng rng(seed);
    for (int64_t i = 0; i < samples; ++i) {
      std::vector<json> row;
      for (const Dimension& d : b.dims) row.push_back(pick(d, rng.uniform()));
      b.rows.push_back(std::move(row));
    }
  } else if (b.kind == SpaceBlock::Latin) {
    // Each dim's range cut into `samples` strata, every stratum used once,
    // the strata of different dims paired by independent permutations.
    std::vector<std::vector<int64_t>> perm(b.dims.size());
    for (size_t d = 0; d < b.dims.size(); ++d) {
      Rng shuffle(Rng::mix(seed, d + 1));
      perm[d].resize(size_t(samples));
      for (int64_t i = 0; i < samples; ++i) perm[d][size_t(i)] = i;
      for (int64_t i = samples - 1; i > 0; --i) std::swap(perm[d][size_t(i)], perm[d][shuffle.below(uint64_t(i + 1))]);
    }
    Rng jitter(seed);
    for (int64_t i = 0; i < samples; ++i) {
      std::vector<json> row;
      for (size_t d = 0; d < b.dims.size(); ++d) {
        const double q = (double(perm[d][size_t(i)]) + jitter.uniform()) / double(samples);
        row.push_back(pick(b.dims[d], q));
      }
      b.rows.push_back(std::move(row));
    }
  }
  return b;
}

}  // namespace

SweepConfig parseSweep(const json& doc, const std::string& origin) {
  JsonObject o = JsonNode(doc, origin, "").asObject();
  SweepConfig s;
  s.origin = origin;
  s.name = o.string("name");
  const bool plainName = !s.name.empty() && s.name[0] != '.' && std::all_of(s.name.begin(), s.name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (!plainName) o.required("name").fail("letters, digits, \"-\", \"_\" and \".\" only (it names the results directory)");
  (void)o.string("description", "");
  const JsonNode baseNode = o.required("base");
  if (baseNode.raw().is_string()) {
    try {
      const LocatedConfig located = locateConfig("experiments", baseNode.asString());
      s.base = parseJsonText(located.text, located.origin);
      s.baseOrigin = located.origin;
    } catch (const Error& e) {
      baseNode.fail(e.what());
    }
  } else if (baseNode.raw().is_object()) {
    s.base = baseNode.raw();
    s.baseOrigin = origin + " /base";
  } else {
    baseNode.fail("a name of configs/experiments, a path to an experiment file, or an inline experiment object");
  }
  if (!s.base.is_object()) baseNode.fail("the base experiment is not a JSON object");

  std::set<std::string> swept;
  const JsonNode spaceNode = o.required("space");
  const std::vector<JsonNode> blocks = spaceNode.asArray(1, 64);
  for (size_t i = 0; i < blocks.size(); ++i) {
    s.blocks.push_back(parseBlock(blocks[i], s));
    for (const Dimension& d : s.blocks.back().dims) {
      if (!swept.insert(d.pointer).second) {
        JsonNode(doc, origin, d.where).fail(fmt::format("{} is swept twice", d.pointer));
      }
    }
  }
  double total = 1;
  for (const SpaceBlock& b : s.blocks) total *= double(b.size());
  if (total > double(kMaxSweepPoints)) {
    spaceNode.fail(fmt::format("the space has {:.0f} points; at most {} per sweep (split it into several sweeps)",
                               total, kMaxSweepPoints));
  }

  std::set<std::string> derivedNames;
  if (auto d = o.optional("derived")) {
    if (!d->raw().is_object()) d->fail("an object of experiment pointers to expressions");
    for (const auto& item : d->raw().items()) {
      const JsonNode en = d->child(item.key());
      const std::string created = checkPointer(en, item.key(), s.base);
      if (swept.count(item.key())) en.fail(fmt::format("{} is swept and derived", item.key()));
      s.derived.push_back({item.key(), en.pointer(), parseExpression(en, en.asString()), created});
      derivedNames.insert(item.key());
    }
    // Derived fields read swept and base fields only, so their order never matters.
    for (const NamedExpression& e : s.derived) {
      for (const std::string& f : e.expr.fields()) {
        if (derivedNames.count(f)) {
          JsonNode(doc, origin, e.where).fail(fmt::format("reads {}, which is derived itself; "
                                                          "write that field's expression in place",
                                                          f));
        }
      }
    }
  }
  if (auto c = o.optional("constraints")) {
    const std::vector<JsonNode> items = c->asArray(0, 1024);
    for (size_t i = 0; i < items.size(); ++i) {
      s.constraints.push_back({fmt::format("constraint {}", i), items[i].pointer(),
                               parseExpression(items[i], items[i].asString()), ""});
    }
  }
  std::set<std::string> figureNames;
  for (const StandardFigure& f : standardFigures()) figureNames.insert(f.name);
  if (auto f = o.optional("figures")) {
    if (!f->raw().is_object()) f->fail("an object of figure names to report pointers or expressions");
    for (const auto& item : f->raw().items()) {
      const JsonNode fn = f->child(item.key());
      const std::string& name = item.key();
      const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
      if (!valid) fn.fail("a figure name is lower-case letters, digits and \"_\"");
      if (figureNames.count(name)) fn.fail(fmt::format("\"{}\" is a standard figure already", name));
      std::string text = fn.asString();
      if (!text.empty() && text[0] == '/') text = "{" + text + "}";
      s.figures.push_back({name, fn.pointer(), parseExpression(fn, text), ""});
      figureNames.insert(name);
    }
  }
  if (auto ob = o.optional("objectives")) {
    if (!ob->raw().is_object() || ob->raw().empty()) ob->fail("an object of figure names (or swept pointers) to \"max\" or \"min\"");
    for (const auto& item : ob->raw().items()) {
      const JsonNode on = ob->child(item.key());
      const std::string& key = item.key();
      if (key[0] == '/' ? !(swept.count(key) || derivedNames.count(key)) : !figureNames.count(key)) {
        on.fail(fmt::format("\"{}\" is neither a figure of the records nor a swept or derived pointer", key));
      }
      s.objectives.push_back({key, on.asEnum({"max", "min"}) == "max"});
    }
  }
  o.finish();
  s.canonical = doc;
  s.canonical["base"] = s.base;
  s.hash = contentHash(s.canonical.dump());
  return s;
}

SweepConfig loadSweep(const std::string& nameOrPath) {
  const LocatedConfig located = locateConfig("sweeps", nameOrPath);
  return parseSweep(parseJsonText(located.text, located.origin), located.origin);
}

SweepPoint resolvePoint(const SweepConfig& s, int64_t index) {
  SweepPoint p;
  p.index = index;
  p.experiment = s.base;
  p.params = json::object();
  int64_t rest = index;
  std::vector<std::vector<json>> values(s.blocks.size());
  for (size_t b = s.blocks.size(); b-- > 0;) {  // the first block varies slowest
    const int64_t n = s.blocks[b].size();
    values[b] = s.blocks[b].at(rest % n);
    rest /= n;
  }
  for (size_t b = 0; b < s.blocks.size(); ++b) {
    for (size_t d = 0; d < s.blocks[b].dims.size(); ++d) {
      const std::string& ptr = s.blocks[b].dims[d].pointer;
      p.experiment[json::json_pointer(ptr)] = values[b][d];
      p.params[ptr] = values[b][d];
    }
  }
  const json swept = p.experiment;  // derived fields read this, never each other
  for (const NamedExpression& e : s.derived) {
    try {
      const json v = e.expr.evaluate(swept);
      p.experiment[json::json_pointer(e.name)] = v;
      p.params[e.name] = v;
    } catch (const std::invalid_argument& err) {
      p.status = "error";
      p.error = fmt::format("{}: {}", e.where, err.what());
    }
  }
  if (p.status.empty()) {
    for (const NamedExpression& c : s.constraints) {
      try {
        const json v = c.expr.evaluate(p.experiment);
        const bool holds = v.is_boolean() ? v.get<bool>() : (v.is_number() && v.get<double>() != 0.0);
        if (!holds) {
          p.status = "infeasible";
          p.error = fmt::format("{} does not hold: {}", c.where, c.expr.text());
          break;
        }
      } catch (const std::invalid_argument& err) {
        p.status = "error";
        p.error = fmt::format("{}: {}", c.where, err.what());
        break;
      }
    }
  }
  p.id = contentHash(p.experiment.dump());
  return p;
}

std::vector<int64_t> uniquePoints(const SweepConfig& s, int64_t* duplicates, std::vector<std::string>* ids) {
  std::set<std::string> seen;
  std::vector<int64_t> out;
  if (ids) ids->clear();
  int64_t dup = 0;
  for (int64_t i = 0; i < s.size(); ++i) {
    std::string id = resolvePoint(s, i).id;
    if (seen.insert(id).second) {
      out.push_back(i);
      if (ids) ids->push_back(std::move(id));
    } else {
      ++dup;
    }
  }
  if (duplicates) *duplicates = dup;
  return out;
}

namespace {

// A swept key the experiment does not know, or an object the sweep created
// that the experiment rejects: the sweep file's error, not the point's.
void checkPointerAgainst(const SweepConfig& s, const std::string& what, const std::string& where,
                         const std::string& pointer, const std::string& created) {
  for (json::json_pointer p(pointer); !p.empty(); p = p.parent_pointer()) {
    if (what.find(p.to_string() + ": unknown key") != std::string::npos) {
      throw ConfigError(fmt::format("{}: {}: {} names no experiment field: {}", s.origin, where, pointer, what));
    }
  }
  if (!created.empty() && (what.find(created + ":") != std::string::npos ||
                           what.find(created + "/") != std::string::npos)) {
    throw ConfigError(fmt::format("{}: {}: {} points into nothing: the base experiment ({}) has no {}, and "
                                  "point 0 fails there: {}",
                                  s.origin, where, pointer, s.baseOrigin, created, what));
  }
}

}  // namespace

void checkFirstPoint(const SweepConfig& s) {
  const SweepPoint p = resolvePoint(s, 0);
  if (p.status == "error") throw ConfigError(fmt::format("{}: {} (on point 0)", s.origin, p.error));
  try {
    (void)platform::parseExperiment(p.experiment, fmt::format("{} point 0", s.origin));
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    for (const SpaceBlock& b : s.blocks) {
      for (const Dimension& d : b.dims) checkPointerAgainst(s, what, d.where, d.pointer, d.created);
    }
    for (const NamedExpression& d : s.derived) checkPointerAgainst(s, what, d.where, d.name, d.created);
    // Any other error belongs to this point alone: its record says so.
  }
}

}  // namespace specmamba::sweep
