// Group power-of-two activation quantizer (SPEC §3).
//
// One group of GroupSize signed InWidth-bit values per beat:
//   m = max|x|; if m >= 1 then m = m - 1
//   s = clamp(bitlen(m) - (Bits-1), 0, 15)
//   q = s > 0 ? ((x >>> (s-1)) + 1) >>> 1 : x,  clamped to Bits signed
// Outputs the Bits-wide codes and the 4-bit exponent s.
// Two register stages (max/exponent, then shift/round/clamp): latency 2, II 1.
// side_i travels with the group unchanged (side_o), for units that need the
// unquantized values too (SideWidth = 1 and side_i tied off otherwise).
// InjectBug = 1 truncates instead of rounding (used only by the regression to
// prove it can fail).
module sm_act_quant #(
  parameter int unsigned Bits      = 4,
  parameter int unsigned GroupSize = 8,
  parameter int unsigned InWidth   = 32,
  parameter int unsigned SideWidth = 1,
  parameter int unsigned InjectBug = 0
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  input  logic [GroupSize*InWidth-1:0]   data_i,
  input  logic [SideWidth-1:0]           side_i,
  input  logic                           valid_i,
  output logic                           ready_o,
  output logic [GroupSize*Bits-1:0]      data_o,
  output logic [sm_pkg::ActExpWidth-1:0] exp_o,
  output logic [SideWidth-1:0]           side_o,
  output logic                           valid_o,
  input  logic                           ready_i
);
  localparam int unsigned ExpW   = sm_pkg::ActExpWidth;
  localparam int unsigned BlW    = sm_pkg::cnt_width(InWidth);  // holds bitlen 0..InWidth
  localparam int unsigned MaxExp = (1 << ExpW) - 1;
  localparam logic signed [InWidth:0] QMax = (InWidth+1)'((1 << (Bits - 1)) - 1);
  localparam logic signed [InWidth:0] QMin = -QMax - 1;
  localparam logic signed [InWidth:0] One  = 1;

  // ---- stage 1: max |x| and exponent ----
  logic                         s1_valid_q, s1_valid_d;
  logic [GroupSize*InWidth-1:0] s1_data_q, s1_data_d;
  logic [ExpW-1:0]              s1_exp_q, s1_exp_d;
  logic [SideWidth-1:0]         s1_side_q, s1_side_d;
  // ---- stage 2: rounded, clamped codes ----
  logic                         s2_valid_q, s2_valid_d;
  logic [GroupSize*Bits-1:0]    s2_data_q, s2_data_d;
  logic [ExpW-1:0]              s2_exp_q, s2_exp_d;
  logic [SideWidth-1:0]         s2_side_q, s2_side_d;

  logic s2_ready, s1_ready;
  assign s2_ready = !s2_valid_q || ready_i;
  assign s1_ready = !s1_valid_q || s2_ready;
  assign ready_o  = s1_ready;

  logic [InWidth-1:0] max_abs;
  logic [BlW-1:0]     bitlen;

  always_comb begin
    logic [InWidth-1:0] x;
    logic [InWidth-1:0] a;
    logic [BlW:0]       e;  // one bit wider than bitlen
    x       = '0;
    a       = '0;
    max_abs = '0;
    for (int unsigned i = 0; i < GroupSize; i++) begin
      x = data_i[i*InWidth +: InWidth];
      a = x[InWidth-1] ? (~x + 1'b1) : x;  // |-2^(W-1)| = 2^(W-1) still fits unsigned
      if (a > max_abs) max_abs = a;
    end
    if (max_abs != '0) max_abs = max_abs - 1'b1;
    bitlen = '0;
    for (int unsigned b = 0; b < InWidth; b++) begin
      if (max_abs[b]) bitlen = BlW'(b + 1);
    end
    e = {1'b0, bitlen};
    if (e <= (BlW+1)'(Bits - 1)) s1_exp_d = '0;
    else if (e - (BlW+1)'(Bits - 1) >= (BlW+1)'(MaxExp)) s1_exp_d = ExpW'(MaxExp);
    else s1_exp_d = ExpW'(e - (BlW+1)'(Bits - 1));

    s1_valid_d = s1_valid_q;
    s1_data_d  = s1_data_q;
    s1_side_d  = s1_side_q;
    if (s1_ready) begin
      s1_valid_d = valid_i;
      s1_data_d  = data_i;
      s1_side_d  = side_i;
    end else begin
      s1_exp_d = s1_exp_q;
    end
  end

  always_comb begin
    logic signed [InWidth:0] x;
    logic signed [InWidth:0] r;
    x          = '0;
    r          = '0;
    s2_valid_d = s2_valid_q;
    s2_data_d  = s2_data_q;
    s2_exp_d   = s2_exp_q;
    s2_side_d  = s2_side_q;
    if (s2_ready) begin
      s2_valid_d = s1_valid_q;
      s2_exp_d   = s1_exp_q;
      s2_side_d  = s1_side_q;
      for (int unsigned i = 0; i < GroupSize; i++) begin
        x = (InWidth+1)'(signed'(s1_data_q[i*InWidth +: InWidth]));
        if (s1_exp_q == '0) begin
          r = x;
        end else if (InjectBug != 0) begin
          r = x >>> s1_exp_q;
        end else begin
          r = ((x >>> (s1_exp_q - 1'b1)) + One) >>> 1;
        end
        if (r > QMax) r = QMax;
        else if (r < QMin) r = QMin;
        s2_data_d[i*Bits +: Bits] = r[Bits-1:0];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
    end else begin
      s1_valid_q <= s1_valid_d;
      s2_valid_q <= s2_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    s1_data_q <= s1_data_d;
    s1_exp_q  <= s1_exp_d;
    s2_data_q <= s2_data_d;
    s2_exp_q  <= s2_exp_d;
    s1_side_q <= s1_side_d;
    s2_side_q <= s2_side_d;
  end

  assign data_o  = s2_data_q;
  assign exp_o   = s2_exp_q;
  assign side_o  = s2_side_q;
  assign valid_o = s2_valid_q;

`ifndef SYNTHESIS
  sm_hold_check #(.Width(SideWidth+GroupSize*Bits+sm_pkg::ActExpWidth)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  ({side_o, exp_o, data_o})
  );
`endif
endmodule
