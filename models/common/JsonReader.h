#pragma once
// Validating reader over nlohmann::json: every access checks type and range
// and every error names the file and the JSON pointer of the offending value
// ("configs/models/x.json: /d_state: must be a power of two, got 100").
// JsonObject::finish() rejects keys nobody asked for (unknown keys are errors).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/common/Error.h"

namespace specmamba {

class JsonObject;

class JsonNode {
 public:
  JsonNode(const nlohmann::json& value, std::string file, std::string pointer);

  const nlohmann::json& raw() const { return *value_; }
  const std::string& file() const { return file_; }
  // JSON pointer of this value; "/" for the document root.
  std::string pointer() const { return pointer_.empty() ? "/" : pointer_; }

  [[noreturn]] void fail(std::string_view what) const;

  int64_t asInt(int64_t lo, int64_t hi) const;
  double asNumber(double lo, double hi) const;
  bool asBool() const;
  std::string asString() const;
  // One of `allowed`; the error lists them.
  std::string asEnum(const std::vector<std::string>& allowed) const;
  std::vector<JsonNode> asArray(size_t minSize, size_t maxSize) const;
  JsonObject asObject() const;

  JsonNode child(const std::string& key) const;
  JsonNode element(size_t index) const;

 private:
  const nlohmann::json* value_;
  std::string file_;
  std::string pointer_;
};

class JsonObject {
 public:
  explicit JsonObject(JsonNode node);

  const JsonNode& node() const { return node_; }
  bool has(const std::string& key) const;
  JsonNode required(const std::string& key);
  std::optional<JsonNode> optional(const std::string& key);

  int64_t integer(const std::string& key, int64_t lo, int64_t hi);
  int64_t integer(const std::string& key, int64_t lo, int64_t hi, int64_t fallback);
  double number(const std::string& key, double lo, double hi);
  double number(const std::string& key, double lo, double hi, double fallback);
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key);
  std::string string(const std::string& key, const std::string& fallback);
  std::string choice(const std::string& key, const std::vector<std::string>& allowed);
  std::string choice(const std::string& key, const std::vector<std::string>& allowed,
                     const std::string& fallback);

  // Throws on any key that was never asked for, listing the allowed keys.
  void finish() const;

 private:
  JsonNode node_;
  std::set<std::string> known_;
};

// Parses a JSON document; syntax errors name the file, line and column.
nlohmann::json parseJsonText(const std::string& text, const std::string& file);
nlohmann::json readJsonFile(const std::string& path);

}  // namespace specmamba
