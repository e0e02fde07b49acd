// K-point +-1 stage of the online Hadamard rotation (HTU, SPEC §3):
// H_n = H_K (x) H_{2^m}. After the 2^m-point butterfly of every block, output
// block a at position j is sum_b H_K[a][b] * v[b][j]. One beat is one such
// column (the K values at position j, one per block); the unit produces the
// K outputs of that column one row per cycle with a K-input signed adder
// (AccWidth-bit, exact modulo 2^AccWidth; the golden model checks 40 bits),
// then shifts each right by shift_i and keeps OutWidth bits.
//
// k_i (order, 1..MaxK), signs_i (row-major, bit a*MaxK+b set = -1) and
// shift_i are configuration: stable while columns flow, so one instance
// serves every model size (K = 12, 20, 24, 40, ...).
// Latency k+1 cycles, II = k cycles per column.
// InjectBug = 1 rounds to nearest instead of truncating (regression self-check).
module sm_hadamard_k #(
  parameter int unsigned MaxK      = 40,
  parameter int unsigned InWidth   = 32,
  parameter int unsigned AccWidth  = 40,
  parameter int unsigned OutWidth  = 32,
  parameter int unsigned InjectBug = 0,
  localparam int unsigned KW       = sm_pkg::cnt_width(MaxK)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic [KW-1:0]            k_i,
  input  logic [MaxK*MaxK-1:0]     signs_i,
  input  logic [4:0]               shift_i,
  input  logic [MaxK*InWidth-1:0]  data_i,
  input  logic                     valid_i,
  output logic                     ready_o,
  output logic [MaxK*OutWidth-1:0] data_o,
  output logic                     valid_o,
  input  logic                     ready_i
);
  localparam int unsigned RowW = sm_pkg::idx_width(MaxK);

  logic [MaxK*InWidth-1:0]  x_q, x_d;
  logic                     busy_q, busy_d;
  logic [RowW-1:0]          row_q, row_d;
  logic [MaxK*OutWidth-1:0] rows_q, rows_d;
  logic [MaxK*OutWidth-1:0] out_q, out_d;
  logic                     out_valid_q, out_valid_d;

  logic done_row, emit, accept;
  logic [MaxK-1:0] sign_rows [MaxK];  // signs_i as rows, indexed without a multiplier

  for (genvar a = 0; a < MaxK; a++) begin : g_sign_rows
    assign sign_rows[a] = signs_i[a*MaxK +: MaxK];
  end
  assign done_row = busy_q && (KW'(row_q) + 1'b1 == k_i);
  assign emit     = done_row && (!out_valid_q || ready_i);
  assign ready_o  = !busy_q || emit;
  assign accept   = valid_i && ready_o;

  always_comb begin
    logic signed [AccWidth-1:0] sum;
    logic signed [AccWidth-1:0] term;
    // the top bits are dropped: the golden model checks the output fits OutWidth
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [AccWidth-1:0] y;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [MaxK-1:0]            sign_row;
    sum         = '0;
    term        = '0;
    y           = '0;
    sign_row    = sign_rows[row_q];
    x_d         = x_q;
    busy_d      = busy_q;
    row_d       = row_q;
    rows_d      = rows_q;
    out_d       = out_q;
    out_valid_d = out_valid_q;
    if (ready_i) out_valid_d = 1'b0;

    for (int unsigned b = 0; b < MaxK; b++) begin
      term = AccWidth'(signed'(x_q[b*InWidth +: InWidth]));
      if (KW'(b) < k_i) sum = sign_row[b] ? sum - term : sum + term;
    end
    if (InjectBug != 0) y = (sum + (AccWidth'(1) <<< (shift_i - 1'b1))) >>> shift_i;
    else y = sum >>> shift_i;

    if (busy_q && (!done_row || emit)) begin
      rows_d[row_q*OutWidth +: OutWidth] = y[OutWidth-1:0];
      row_d = row_q + 1'b1;
    end
    if (emit) begin
      out_d       = rows_d;
      out_valid_d = 1'b1;
      busy_d      = 1'b0;
    end
    if (accept) begin
      x_d    = data_i;
      busy_d = 1'b1;
      row_d  = '0;
      rows_d = '0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q      <= 1'b0;
      out_valid_q <= 1'b0;
      row_q       <= '0;
    end else begin
      busy_q      <= busy_d;
      out_valid_q <= out_valid_d;
      row_q       <= row_d;
    end
  end

  always_ff @(posedge clk_i) begin
    x_q    <= x_d;
    rows_q <= rows_d;
    out_q  <= out_d;
  end

  assign data_o  = out_q;
  assign valid_o = out_valid_q;

`ifndef SYNTHESIS
  sm_hold_check #(.Width(MaxK*OutWidth)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  (data_o)
  );
  a_k: assert property (@(posedge clk_i) disable iff (!rst_ni)
    valid_i |-> (k_i >= 1 && k_i <= KW'(MaxK)));
`endif
endmodule
