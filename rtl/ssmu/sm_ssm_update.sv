// SSMU state-update lanes (SPEC §3 SSM step), PP = 8 lanes: one beat is one
// (head, n, 8 consecutive p) group of the state, the innermost loop of the
// SSMU (N * d_inner / 8 beats per token and layer: 81,920 for 2.7B):
//   dAh = ((dA * h) << (dA_s + h_s)) >>> 6
//   dBx = ((dB * x) << (dB_s + x_s)) >>> 11
//   h'  = dAh + dBx                     (int32, checked by the golden model)
// then h' is re-quantized along headdim (the group PoT quantizer, 8-bit) into
// the stored state. Both h' (for the along-N re-quantization of the C
// contraction) and the stored (q, s) come out.
// Registers: products and sum | sm_act_quant (2): latency 3, II 1.
// side_i travels with the beat unchanged (side_o), for the full SSMU
// (sm_ssmu); SideWidth = 1 and side_i tied off otherwise.
// InjectBug = 1 shifts dBx right by 10 instead of 11 (regression self-check).
module sm_ssm_update #(
  parameter int unsigned SideWidth = 1,
  parameter int unsigned InjectBug = 0,
  localparam int unsigned Lanes    = 8,
  localparam int unsigned XsW      = sm_pkg::ActExpWidth
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic [7:0]             da_i,      // dA of the head, int8
  input  logic [XsW-1:0]         das_i,
  input  logic [7:0]             db_i,      // dB of (head, n), int8
  input  logic [XsW-1:0]         dbs_i,
  input  logic [Lanes*8-1:0]     h_i,       // stored state h[n][head*P + p..p+7]
  input  logic [XsW-1:0]         hs_i,
  input  logic [Lanes*8-1:0]     x_i,       // x[head*P + p..p+7]
  input  logic [XsW-1:0]         xs_i,
  input  logic [SideWidth-1:0]   side_i,
  input  logic                   valid_i,
  output logic                   ready_o,
  output logic [Lanes*32-1:0]    hnew_o,    // h' (int32)
  output logic [Lanes*8-1:0]     hq_o,      // h' re-quantized (int8) ...
  output logic [XsW-1:0]         hs_o,      // ... and its exponent
  output logic [SideWidth-1:0]   side_o,
  output logic                   valid_o,
  input  logic                   ready_i
);
  localparam int unsigned PW = 48;  // product << up to 30 stays below 2^47

  logic                   s1_valid_q, s1_valid_d;
  logic [Lanes*32-1:0]    s1_h_q, s1_h_d;
  logic [SideWidth-1:0]   s1_side_q, s1_side_d;
  logic                   q_ready;

  assign ready_o = !s1_valid_q || q_ready;

  always_comb begin
    logic signed [PW-1:0] dah;
    logic signed [PW-1:0] dbx;
    // h' keeps 32 bits: the golden model checks dAh, dBx and h' fit
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [PW-1:0] sum;
    /* verilator lint_on UNUSEDSIGNAL */
    dah        = '0;
    dbx        = '0;
    sum        = '0;
    s1_valid_d = s1_valid_q;
    s1_h_d     = s1_h_q;
    s1_side_d  = s1_side_q;
    if (ready_o) begin
      s1_valid_d = valid_i;
      s1_side_d  = side_i;
      for (int unsigned l = 0; l < Lanes; l++) begin
        dah = (PW'($signed(da_i)) * PW'($signed(h_i[l*8 +: 8]))) <<< ((XsW+1)'(das_i) + (XsW+1)'(hs_i));
        dbx = (PW'($signed(db_i)) * PW'($signed(x_i[l*8 +: 8]))) <<< ((XsW+1)'(dbs_i) + (XsW+1)'(xs_i));
        dah = dah >>> 6;
        dbx = (InjectBug != 0) ? (dbx >>> 10) : (dbx >>> 11);
        sum = dah + dbx;
        s1_h_d[l*32 +: 32] = sum[31:0];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) s1_valid_q <= 1'b0;
    else s1_valid_q <= s1_valid_d;
  end
  always_ff @(posedge clk_i) begin
    s1_h_q    <= s1_h_d;
    s1_side_q <= s1_side_d;
  end

  sm_act_quant #(
    .Bits      (8),
    .GroupSize (Lanes),
    .InWidth   (32),
    .SideWidth (Lanes*32+SideWidth)
  ) u_requant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (s1_h_q),
    .side_i  ({s1_side_q, s1_h_q}),
    .valid_i (s1_valid_q),
    .ready_o (q_ready),
    .data_o  (hq_o),
    .exp_o   (hs_o),
    .side_o  ({side_o, hnew_o}),
    .valid_o (valid_o),
    .ready_i (ready_i)
  );
endmodule
