// Width helpers shared by every specmamba RTL unit (STYLE rule 8).
// Kept to what both Verilator 5.006 and Yosys 0.23 accept: localparams and
// single-expression functions.
package sm_pkg;
  /* verilator lint_off UNUSEDPARAM */

  // Bits needed to index `n` items; at least 1 so a 1-deep array still has an index.
  function automatic int unsigned idx_width(input int unsigned n);
    idx_width = (n <= 1) ? 1 : $clog2(n);
  endfunction

  // Bits needed to hold the count 0..n.
  function automatic int unsigned cnt_width(input int unsigned n);
    cnt_width = $clog2(n + 1);
  endfunction

  // PoT exponents (SPEC §3): 4 bits for activations/state, 3 bits for weights.
  localparam int unsigned ActExpWidth = 4;
  localparam int unsigned WgtExpWidth = 3;

  /* verilator lint_on UNUSEDPARAM */
endpackage
