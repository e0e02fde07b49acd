// C contraction and output of the SSMU (SPEC §3), one column per beat: the
// Lanes values of h' at one p and one N-group (n-tile), re-quantized along N
// (q, s), with that n-tile's C (q, s):
//   acc[p] += (sum_8 h_q * C_q) << (h_s + C_s)        (48-bit accumulator)
// over the n-tiles of a p-tile (first_i clears, last_i finishes); on the last
// n-tile
//   htC = acc >>> 17,  xD = ((x * D) << (x_s + D_s)) >>> 8,  y = htC + xD
// and the Lanes y values of the p-tile (columns 0..Lanes-1, in that order)
// leave as one beat. Columns col_i come in order 0..Lanes-1 per n-tile.
// One register stage: a y beat leaves one cycle after its last column, II 1.
// InjectBug = 1 rounds htC to nearest instead of truncating (self-check).
module sm_ssm_htc #(
  parameter int unsigned Lanes     = 8,
  parameter int unsigned InjectBug = 0,
  localparam int unsigned IdxW     = sm_pkg::idx_width(Lanes),
  localparam int unsigned XsW      = sm_pkg::ActExpWidth
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic [Lanes*8-1:0]    hq_i,     // h' of column col_i along N (int8)
  input  logic [XsW-1:0]        hs_i,
  input  logic [Lanes*8-1:0]    cq_i,     // C of the n-tile
  input  logic [XsW-1:0]        cs_i,
  input  logic [IdxW-1:0]       col_i,    // p within the p-tile
  input  logic                  first_i,  // first n-tile of the p-tile
  input  logic                  last_i,   // last n-tile of the p-tile
  input  logic [Lanes*8-1:0]    xq_i,     // x of the p-tile
  input  logic [XsW-1:0]        xs_i,
  input  logic [7:0]            dq_i,     // D of the head
  input  logic [XsW-1:0]        ds_i,
  input  logic                  valid_i,
  output logic                  ready_o,
  output logic [Lanes*32-1:0]   y_o,      // y of the p-tile (int32, Q12)
  output logic                  valid_o,
  input  logic                  ready_i
);
  localparam int unsigned AccW = 48;  // the golden model checks 48 bits
  localparam logic [IdxW-1:0] Last = IdxW'(Lanes - 1);

  logic [AccW-1:0]      acc_q [Lanes];
  logic [AccW-1:0]      acc_new;
  logic [Lanes*32-1:0]  ycol_q, ycol_d;  // y of the columns done so far
  logic                 y_valid_q, y_valid_d;
  logic [Lanes*32-1:0]  y_q, y_d;
  logic                 in_fire;

  assign ready_o = !y_valid_q || ready_i;
  assign in_fire = valid_i && ready_o;

  always_comb begin
    logic signed [19:0]     acc_g;  // |sum| <= 8 * 128 * 128 = 2^17
    logic signed [AccW-1:0] term;
    logic signed [AccW-1:0] xd;
    // htC keeps 32 bits: the golden model checks that it fits
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [AccW-1:0] htc;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [31:0]            y;
    acc_g = '0;
    for (int unsigned l = 0; l < Lanes; l++) begin
      acc_g = acc_g + 20'($signed(hq_i[l*8 +: 8])) * 20'($signed(cq_i[l*8 +: 8]));
    end
    term    = AccW'(acc_g) <<< ((XsW+1)'(hs_i) + (XsW+1)'(cs_i));
    acc_new = (first_i ? '0 : acc_q[col_i]) + term;
    xd      = (AccW'($signed(xq_i[col_i*8 +: 8])) * AccW'($signed(dq_i))) <<< ((XsW+1)'(xs_i) + (XsW+1)'(ds_i));
    xd      = xd >>> 8;
    htc     = (InjectBug != 0) ? ((AccW'($signed(acc_new)) + AccW'(1 << 16)) >>> 17) : (AccW'($signed(acc_new)) >>> 17);
    y       = htc[31:0] + xd[31:0];

    ycol_d    = ycol_q;
    y_valid_d = y_valid_q && !ready_i;
    y_d       = y_q;
    if (in_fire && last_i) begin
      ycol_d[col_i*32 +: 32] = y;
      if (col_i == Last) begin
        y_valid_d                 = 1'b1;
        y_d                       = ycol_q;
        y_d[(Lanes-1)*32 +: 32]   = y;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) y_valid_q <= 1'b0;
    else y_valid_q <= y_valid_d;
  end

  always_ff @(posedge clk_i) begin
    ycol_q <= ycol_d;
    y_q    <= y_d;
    if (in_fire) acc_q[col_i] <= acc_new;
  end

  assign y_o     = y_q;
  assign valid_o = y_valid_q;

`ifndef SYNTHESIS
  sm_hold_check #(.Width(Lanes*32)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  (y_o)
  );
`endif
endmodule
