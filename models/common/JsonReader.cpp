#include "models/common/JsonReader.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace specmamba {

namespace {

std::string escapePointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

const char* typeName(const nlohmann::json& v) { return v.type_name(); }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    out += (i ? ", " : "") + items[i];
  }
  return out;
}

}  // namespace

JsonNode::JsonNode(const nlohmann::json& value, std::string file, std::string pointer)
    : value_(&value), file_(std::move(file)), pointer_(std::move(pointer)) {}

void JsonNode::fail(std::string_view what) const {
  throw ConfigError(fmt::format("{}: {}: {}", file_, pointer(), what));
}

int64_t JsonNode::asInt(int64_t lo, int64_t hi) const {
  const auto& v = *value_;
  int64_t x = 0;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      fail(fmt::format("must be an integer in [{}, {}], got {}", lo, hi, v.dump()));
    }
    x = v.get<int64_t>();
  } else if (v.is_number_float() && std::isfinite(v.get<double>()) &&
             std::floor(v.get<double>()) == v.get<double>() && std::fabs(v.get<double>()) < 9e15) {
    x = static_cast<int64_t>(v.get<double>());
  } else {
    fail(fmt::format("must be an integer in [{}, {}], got {} {}", lo, hi, typeName(v), v.dump()));
  }
  if (x < lo || x > hi) fail(fmt::format("must be in [{}, {}], got {}", lo, hi, x));
  return x;
}

double JsonNode::asNumber(double lo, double hi) const {
  const auto& v = *value_;
  if (!v.is_number()) {
    fail(fmt::format("must be a number in [{}, {}], got {} {}", lo, hi, typeName(v), v.dump()));
  }
  double x = v.get<double>();
  if (!(x >= lo && x <= hi)) fail(fmt::format("must be in [{}, {}], got {}", lo, hi, x));
  return x;
}

bool JsonNode::asBool() const {
  if (!value_->is_boolean()) {
    fail(fmt::format("must be true or false, got {} {}", typeName(*value_), value_->dump()));
  }
  return value_->get<bool>();
}

std::string JsonNode::asString() const {
  if (!value_->is_string()) {
    fail(fmt::format("must be a string, got {} {}", typeName(*value_), value_->dump()));
  }
  return value_->get<std::string>();
}

std::string JsonNode::asEnum(const std::vector<std::string>& allowed) const {
  std::string s = asString();
  for (const auto& a : allowed) {
    if (a == s) return s;
  }
  fail(fmt::format("must be one of [{}], got \"{}\"", joined(allowed), s));
}

std::vector<JsonNode> JsonNode::asArray(size_t minSize, size_t maxSize) const {
  if (!value_->is_array()) fail(fmt::format("must be an array, got {}", typeName(*value_)));
  if (value_->size() < minSize || value_->size() > maxSize) {
    fail(fmt::format("must have between {} and {} elements, got {}", minSize, maxSize,
                     value_->size()));
  }
  std::vector<JsonNode> out;
  out.reserve(value_->size());
  for (size_t i = 0; i < value_->size(); ++i) out.push_back(element(i));
  return out;
}

JsonObject JsonNode::asObject() const {
  if (!value_->is_object()) fail(fmt::format("must be an object, got {}", typeName(*value_)));
  return JsonObject(*this);
}

JsonNode JsonNode::child(const std::string& key) const {
  return JsonNode(value_->at(key), file_, pointer_ + "/" + escapePointerToken(key));
}

JsonNode JsonNode::element(size_t index) const {
  return JsonNode(value_->at(index), file_, pointer_ + "/" + std::to_string(index));
}

JsonObject::JsonObject(JsonNode node) : node_(std::move(node)) {
  if (!node_.raw().is_object()) node_.fail("must be an object");
}

bool JsonObject::has(const std::string& key) const { return node_.raw().contains(key); }

JsonNode JsonObject::required(const std::string& key) {
  known_.insert(key);
  if (!has(key)) node_.fail(fmt::format("missing required key \"{}\"", key));
  return node_.child(key);
}

std::optional<JsonNode> JsonObject::optional(const std::string& key) {
  known_.insert(key);
  if (!has(key)) return std::nullopt;
  return node_.child(key);
}

int64_t JsonObject::integer(const std::string& key, int64_t lo, int64_t hi) {
  return required(key).asInt(lo, hi);
}
int64_t JsonObject::integer(const std::string& key, int64_t lo, int64_t hi, int64_t fallback) {
  auto n = optional(key);
  return n ? n->asInt(lo, hi) : fallback;
}
double JsonObject::number(const std::string& key, double lo, double hi) {
  return required(key).asNumber(lo, hi);
}
double JsonObject::number(const std::string& key, double lo, double hi, double fallback) {
  auto n = optional(key);
  return n ? n->asNumber(lo, hi) : fallback;
}
bool JsonObject::boolean(const std::string& key, bool fallback) {
  auto n = optional(key);
  return n ? n->asBool() : fallback;
}
std::string JsonObject::string(const std::string& key) { return required(key).asString(); }
std::string JsonObject::string(const std::string& key, const std::string& fallback) {
  auto n = optional(key);
  return n ? n->asString() : fallback;
}
std::string JsonObject::choice(const std::string& key, const std::vector<std::string>& allowed) {
  return required(key).asEnum(allowed);
}
std::string JsonObject::choice(const std::string& key, const std::vector<std::string>& allowed,
                               const std::string& fallback) {
  auto n = optional(key);
  return n ? n->asEnum(allowed) : fallback;
}

void JsonObject::finish() const {
  for (const auto& item : node_.raw().items()) {
    if (!known_.count(item.key())) {
      std::vector<std::string> allowed(known_.begin(), known_.end());
      node_.child(item.key()).fail(fmt::format("unknown key (allowed: {})", joined(allowed)));
    }
  }
}

nlohmann::json parseJsonText(const std::string& text, const std::string& file) {
  try {
    return nlohmann::json::parse(text, nullptr, true, /*ignore_comments=*/false);
  } catch (const nlohmann::json::parse_error& e) {
    // Translate the byte offset into line:column, which editors understand.
    size_t line = 1, col = 1;
    for (size_t i = 0; i < text.size() && i + 1 < e.byte; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    auto pos = what.find("syntax error");
    throw ConfigError(fmt::format("{}:{}:{}: invalid JSON: {}", file, line, col,
                                  pos == std::string::npos ? what : what.substr(pos)));
  } catch (const nlohmann::json::exception& e) {
    // Valid syntax the parser still refuses: a number beyond double (1e999999).
    std::string what = e.what();
    const auto pos = what.find("] ");
    throw ConfigError(fmt::format("{}: invalid JSON: {}", file, pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

nlohmann::json readJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot open file", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parseJsonText(ss.str(), path);
}

}  // namespace specmamba
