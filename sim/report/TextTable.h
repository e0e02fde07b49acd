#pragma once
// Column-aligned text tables for the human-readable side of every report.
#include <string>
#include <vector>

namespace specmamba {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void addRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // Numbers (cells starting with a digit, '-' or '+') are right-aligned.
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace specmamba
