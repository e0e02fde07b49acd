#include "sim/sweep/Expression.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <stdexcept>

#include "models/common/Error.h"
#include "models/speculative/TokenTree.h"

namespace specmamba::sweep {

using json = nlohmann::json;

struct Expression::Node {
  enum Kind { Literal, Field, Unary, Binary, Call } kind = Literal;
  json value;         // Literal
  std::string name;   // Field pointer, operator or function name
  std::vector<std::unique_ptr<Node>> args;
};

namespace {

using NodePtr = std::unique_ptr<Expression::Node>;

NodePtr makeNode(Expression::Node::Kind kind, std::string name = {}) {
  auto n = std::make_unique<Expression::Node>();
  n->kind = kind;
  n->name = std::move(name);
  return n;
}

// Recursive descent, lowest precedence first: || && comparison + * unary.
class Parser {
 public:
  Parser(const std::string& text, std::vector<std::string>& fields) : s_(text), fields_(fields) {}

  NodePtr parseAll() {
    NodePtr n = parseOr();
    skipSpace();
    if (pos_ != s_.size()) fail(fmt::format("unexpected \"{}\"", s_.substr(pos_, 8)));
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument(fmt::format("{} at character {} of \"{}\"", what, pos_ + 1, s_));
  }
  void skipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool accept(const std::string& op) {
    skipSpace();
    if (s_.compare(pos_, op.size(), op) != 0) return false;
    // "<" must not swallow the first half of "<=", "!" not of "!=".
    if (op.size() == 1 && pos_ + 1 < s_.size() && s_[pos_ + 1] == '=' &&
        (op == "<" || op == ">" || op == "!" || op == "="))
      return false;
    pos_ += op.size();
    return true;
  }
  NodePtr binary(std::string op, NodePtr a, NodePtr b) {
    NodePtr n = makeNode(Expression::Node::Binary, std::move(op));
    n->args.push_back(std::move(a));
    n->args.push_back(std::move(b));
    return n;
  }
  NodePtr parseOr() {
    NodePtr n = parseAnd();
    while (accept("||")) n = binary("||", std::move(n), parseAnd());
    return n;
  }
  NodePtr parseAnd() {
    NodePtr n = parseCompare();
    while (accept("&&")) n = binary("&&", std::move(n), parseCompare());
    return n;
  }
  NodePtr parseCompare() {
    NodePtr n = parseSum();
    for (const char* op : {"<=", ">=", "==", "!=", "<", ">"}) {
      if (accept(op)) return binary(op, std::move(n), parseSum());
    }
    return n;
  }
  NodePtr parseSum() {
    NodePtr n = parseProduct();
    for (;;) {
      if (accept("+")) n = binary("+", std::move(n), parseProduct());
      else if (accept("-")) n = binary("-", std::move(n), parseProduct());
      else return n;
    }
  }
  NodePtr parseProduct() {
    NodePtr n = parseUnary();
    for (;;) {
      if (accept("*")) n = binary("*", std::move(n), parseUnary());
      else if (accept("/")) n = binary("/", std::move(n), parseUnary());
      else if (accept("%")) n = binary("%", std::move(n), parseUnary());
      else return n;
    }
  }
  NodePtr parseUnary() {
    for (const char* op : {"-", "!"}) {
      if (accept(op)) {
        NodePtr n = makeNode(Expression::Node::Unary, op);
        n->args.push_back(parseUnary());
        return n;
      }
    }
    return parsePrimary();
  }
  NodePtr parsePrimary() {
    skipSpace();
    if (pos_ >= s_.size()) fail("expression ends early");
    const char c = s_[pos_];
    if (accept("(")) {
      NodePtr n = parseOr();
      if (!accept(")")) fail("missing \")\"");
      return n;
    }
    if (c == '{') {
      const size_t end = s_.find('}', pos_);
      if (end == std::string::npos) fail("missing \"}\" after a field");
      std::string pointer = s_.substr(pos_ + 1, end - pos_ - 1);
      if (pointer.empty() || pointer[0] != '/') fail("a field is a JSON pointer such as {/accelerator/tp}");
      try {
        (void)json::json_pointer(pointer);
      } catch (const json::exception&) {
        fail(fmt::format("\"{}\" is not a JSON pointer", pointer));
      }
      pos_ = end + 1;
      fields_.push_back(pointer);
      return makeNode(Expression::Node::Field, pointer);
    }
    if (c == '"' || c == '\'') {
      const size_t end = s_.find(c, pos_ + 1);
      if (end == std::string::npos) fail("unterminated string");
      NodePtr n = makeNode(Expression::Node::Literal);
      n->value = s_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
      return n;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t used = 0;
      const std::string rest = s_.substr(pos_);
      NodePtr n = makeNode(Expression::Node::Literal);
      const bool real = rest.find_first_of(".eE") < rest.find_first_not_of("0123456789.eE+-");
      try {
        if (real) n->value = std::stod(rest, &used);
        else n->value = int64_t(std::stoll(rest, &used));
      } catch (const std::exception&) {
        fail("bad number");
      }
      pos_ += used;
      return n;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t end = pos_;
      while (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_')) ++end;
      const std::string name = s_.substr(pos_, end - pos_);
      pos_ = end;
      if (name == "true" || name == "false") {
        NodePtr n = makeNode(Expression::Node::Literal);
        n->value = name == "true";
        return n;
      }
      static const std::vector<std::string> kFunctions = {
          "min", "max", "abs", "floor", "ceil", "log2", "pow", "len", "tree_nodes", "tree_depth"};
      if (std::find(kFunctions.begin(), kFunctions.end(), name) == kFunctions.end()) {
        fail(fmt::format("unknown name \"{}\" (functions: min, max, abs, floor, ceil, log2, pow, len, "
                         "tree_nodes, tree_depth; fields are written {{/json/pointer}})",
                         name));
      }
      NodePtr n = makeNode(Expression::Node::Call, name);
      if (!accept("(")) fail(fmt::format("\"{}\" needs its arguments in parentheses", name));
      if (!accept(")")) {
        do n->args.push_back(parseOr());
        while (accept(","));
        if (!accept(")")) fail("missing \")\" after the arguments");
      }
      const size_t want = (name == "min" || name == "max") ? 0 : name == "pow" ? 2 : 1;
      if (want == 0 ? n->args.empty() : n->args.size() != want) {
        fail(fmt::format("\"{}\" takes {} argument{}", name, want == 0 ? "at least one" : std::to_string(want),
                         want == 1 ? "" : "s"));
      }
      return n;
    }
    fail(fmt::format("unexpected \"{}\"", c));
  }

  const std::string& s_;
  std::vector<std::string>& fields_;
  size_t pos_ = 0;
};

[[noreturn]] void typeError(const std::string& what) { throw std::invalid_argument(what); }

double number(const json& v, const std::string& op) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  typeError(fmt::format("\"{}\" needs numbers, got {}", op, v.dump()));
}

// Integral results stay integers, so a derived tp or bus_bits is a JSON integer.
json numeric(double x) {
  if (std::isfinite(x) && std::floor(x) == x && std::fabs(x) < 9.0e15) return int64_t(x);
  if (!std::isfinite(x)) typeError("the result is not a finite number");
  return x;
}

TokenTree treeOf(const json& v) {
  try {
    if (v.is_string()) return TokenTree::parse(v.get<std::string>(), "tree");
    if (v.is_array()) return TokenTree::fromBranching(v.get<std::vector<int>>());
  } catch (const Error& e) {
    typeError(e.what());
  } catch (const json::exception&) {
  }
  typeError(fmt::format("a tree is \"3,2,2,1\" or [3,2,2,1], got {}", v.dump()));
}

bool truth(const json& v, const std::string& op) {
  if (v.is_boolean()) return v.get<bool>();
  return number(v, op) != 0.0;
}

json eval(const Expression::Node& n, const json& doc) {
  using K = Expression::Node::Kind;
  switch (n.kind) {
    case K::Literal:
      return n.value;
    case K::Field: {
      const json::json_pointer p(n.name);
      if (!doc.contains(p)) typeError(fmt::format("the experiment has no field {}", n.name));
      return doc.at(p);
    }
    case K::Unary: {
      const json a = eval(*n.args[0], doc);
      return n.name == "-" ? numeric(-number(a, "-")) : json(!truth(a, "!"));
    }
    case K::Binary: {
      const std::string& op = n.name;
      if (op == "&&") return truth(eval(*n.args[0], doc), op) && truth(eval(*n.args[1], doc), op);
      if (op == "||") return truth(eval(*n.args[0], doc), op) || truth(eval(*n.args[1], doc), op);
      const json a = eval(*n.args[0], doc);
      const json b = eval(*n.args[1], doc);
      if (op == "==" || op == "!=") {
        const bool same = (a.is_number() && b.is_number()) ? a.get<double>() == b.get<double>() : a == b;
        return op == "==" ? same : !same;
      }
      if (op == "+" && a.is_string() && b.is_string()) return a.get<std::string>() + b.get<std::string>();
      const double x = number(a, op), y = number(b, op);
      if (op == "<") return x < y;
      if (op == "<=") return x <= y;
      if (op == ">") return x > y;
      if (op == ">=") return x >= y;
      if (op == "+") return numeric(x + y);
      if (op == "-") return numeric(x - y);
      if (op == "*") return numeric(x * y);
      if ((op == "/" || op == "%") && y == 0.0) typeError(fmt::format("\"{}\" by zero", op));
      if (op == "/") return numeric(x / y);
      return numeric(std::fmod(x, y));
    }
    case K::Call: {
      const std::string& f = n.name;
      std::vector<json> a;
      for (const auto& arg : n.args) a.push_back(eval(*arg, doc));
      if (f == "min" || f == "max") {
        double best = number(a[0], f);
        for (const json& v : a) best = f == "min" ? std::min(best, number(v, f)) : std::max(best, number(v, f));
        return numeric(best);
      }
      if (f == "abs") return numeric(std::fabs(number(a[0], f)));
      if (f == "floor") return numeric(std::floor(number(a[0], f)));
      if (f == "ceil") return numeric(std::ceil(number(a[0], f)));
      if (f == "log2") {
        const double x = number(a[0], f);
        if (x <= 0.0) typeError(fmt::format("log2 of {}", x));
        return numeric(std::log2(x));
      }
      if (f == "pow") return numeric(std::pow(number(a[0], f), number(a[1], f)));
      if (f == "len") {
        if (a[0].is_string()) return int64_t(a[0].get<std::string>().size());
        if (a[0].is_array()) return int64_t(a[0].size());
        typeError(fmt::format("len of {}", a[0].dump()));
      }
      if (f == "tree_nodes") return int64_t(treeOf(a[0]).size());
      return int64_t(treeOf(a[0]).maxDepth());  // tree_depth
    }
  }
  typeError("bad expression node");
}

}  // namespace

Expression::Expression(const std::string& text) : text_(text) {
  Parser parser(text_, fields_);
  root_ = parser.parseAll();
}
Expression::~Expression() = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

nlohmann::json Expression::evaluate(const nlohmann::json& doc) const { return eval(*root_, doc); }

}  // namespace specmamba::sweep
