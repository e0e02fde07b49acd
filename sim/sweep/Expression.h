#pragma once
// The small expression language of sweep files: derived fields, constraints
// and report figures. A field is named by its JSON pointer in braces,
// `{/accelerator/cop} * {/accelerator/cip} * 4`; values are JSON numbers,
// strings, booleans or arrays. Operators: + - * / % < <= > >= == != && || !
// and parentheses; functions: min, max, abs, floor, ceil, log2, pow, len,
// tree_nodes, tree_depth. Parsed once, evaluated per point.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace specmamba::sweep {

class Expression {
 public:
  // Throws std::invalid_argument with a position on a syntax error.
  explicit Expression(const std::string& text);
  ~Expression();
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;

  const std::string& text() const { return text_; }
  // Every JSON pointer the expression reads.
  const std::vector<std::string>& fields() const { return fields_; }
  // Evaluates over `doc`; throws std::invalid_argument on a missing field or a
  // type error (text names the field or operator).
  nlohmann::json evaluate(const nlohmann::json& doc) const;

  struct Node;

 private:
  std::string text_;
  std::vector<std::string> fields_;
  std::unique_ptr<Node> root_;
};

}  // namespace specmamba::sweep
