// Output gate of the mixer (SPEC §3), 8 lanes per beat:
//   y -> 8-bit group PoT (y_q, y_s)
//   yz = ((y_q * z_q) << (y_s + z_s)) >>> 10        (Q12 * Q10 -> Q12)
// z_q/z_s is SiLU(z) already quantized to 8 bits: in the layer, z leaves the
// MMU long before y leaves the SSMU, so SiLU and its quantizer run on z as
// it is produced (sm_lut_act + sm_act_quant) and z waits as int8 + exponent,
// a quarter of the int32 buffer.
// Registers: sm_act_quant (2) | product: latency 3, II 1.
// InjectBug = 1 shifts by 9 instead of 10 (regression self-check only).
module sm_gate #(
  parameter int unsigned InjectBug = 0,
  localparam int unsigned Lanes    = 8,
  localparam int unsigned XsW      = sm_pkg::ActExpWidth
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic [Lanes*32-1:0]  y_i,    // SSMU output, int32 Q12
  input  logic [Lanes*8-1:0]   zq_i,   // SiLU(z), int8
  input  logic [XsW-1:0]       zs_i,
  input  logic                 valid_i,
  output logic                 ready_o,
  output logic [Lanes*32-1:0]  data_o, // yz, int32 Q12
  output logic                 valid_o,
  input  logic                 ready_i
);
  localparam int unsigned PW = 48;  // product << up to 30

  logic                 q_valid, q_ready;
  logic [Lanes*8-1:0]   yq, zq;
  logic [XsW-1:0]       ys, zs;
  logic                 out_valid_q, out_valid_d;
  logic [Lanes*32-1:0]  out_q, out_d;

  sm_act_quant #(
    .Bits      (8),
    .GroupSize (Lanes),
    .InWidth   (32),
    .SideWidth (Lanes*8 + XsW)
  ) u_yquant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (y_i),
    .side_i  ({zs_i, zq_i}),
    .valid_i (valid_i),
    .ready_o (ready_o),
    .data_o  (yq),
    .exp_o   (ys),
    .side_o  ({zs, zq}),
    .valid_o (q_valid),
    .ready_i (q_ready)
  );

  assign q_ready = !out_valid_q || ready_i;

  always_comb begin
    // yz keeps 32 bits: the golden model checks that it fits
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [PW-1:0] p;
    /* verilator lint_on UNUSEDSIGNAL */
    p           = '0;
    out_valid_d = out_valid_q && !ready_i;
    out_d       = out_q;
    if (q_valid && q_ready) begin
      out_valid_d = 1'b1;
      for (int unsigned l = 0; l < Lanes; l++) begin
        p = (PW'($signed(yq[l*8 +: 8])) * PW'($signed(zq[l*8 +: 8]))) <<< ((XsW+1)'(ys) + (XsW+1)'(zs));
        p = (InjectBug != 0) ? (p >>> 9) : (p >>> 10);
        out_d[l*32 +: 32] = p[31:0];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) out_valid_q <= 1'b0;
    else out_valid_q <= out_valid_d;
  end
  always_ff @(posedge clk_i) begin
    out_q <= out_d;
  end

  assign data_o  = out_q;
  assign valid_o = out_valid_q;

`ifndef SYNTHESIS
  sm_hold_check #(.Width(Lanes*32)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  (data_o)
  );
`endif
endmodule
