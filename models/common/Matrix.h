#pragma once
// Row-major FP32 matrix: the one dense container of the golden models.
#include <cassert>
#include <cstddef>
#include <vector>

namespace specmamba {

struct Matrix {
  int rows = 0;
  int cols = 0;
  std::vector<float> data;

  Matrix() = default;
  Matrix(int r, int c) : rows(r), cols(c), data(size_t(r) * size_t(c), 0.0f) {}

  float* row(int r) { return data.data() + size_t(r) * size_t(cols); }
  const float* row(int r) const { return data.data() + size_t(r) * size_t(cols); }
  float& at(int r, int c) { return data[size_t(r) * size_t(cols) + size_t(c)]; }
  float at(int r, int c) const { return data[size_t(r) * size_t(cols) + size_t(c)]; }
  size_t size() const { return data.size(); }
};

}  // namespace specmamba
