// Prints the top's output after one clock edge with a_i = 5.
#include <cstdio>

#include "Vtop.h"

int main() {
  Vtop top;
  top.a_i = 5;
  top.clk_i = 0;
  top.eval();
  top.clk_i = 1;
  top.eval();
  std::printf("%d\n", int(top.y_o));
  return 0;
}
