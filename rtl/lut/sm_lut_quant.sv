// A LUT nonlinearity followed by the 8-bit group quantizer (SPEC §3): the
// SiLU and softplus outputs are quantized to 8 bits wherever they are used.
// sm_lut_act (latency 3) then sm_act_quant with Bits = 8 (latency 2):
// latency 5, II 1; configuration as in sm_lut_act.
module sm_lut_quant #(
  parameter int unsigned Lanes = 8,
  localparam int unsigned XsW  = sm_pkg::ActExpWidth
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic signed [31:0]    alpha_i,
  input  logic [4:0]            k_i,
  input  logic [4:0]            ks_i,
  input  logic                  tab_we_i,
  input  logic                  tab_sel_i,
  input  logic [11:0]           tab_addr_i,
  input  logic [15:0]           tab_data_i,
  input  logic [Lanes*32-1:0]   data_i,
  input  logic                  valid_i,
  output logic                  ready_o,
  output logic [Lanes*8-1:0]    data_o,
  output logic [XsW-1:0]        exp_o,
  output logic                  valid_o,
  input  logic                  ready_i
);
  logic                l_valid, l_ready;
  logic [Lanes*32-1:0] l_y;
  /* verilator lint_off UNUSEDSIGNAL */
  logic                no_side;
  /* verilator lint_on UNUSEDSIGNAL */

  sm_lut_act #(.Lanes(Lanes)) u_lut (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .alpha_i    (alpha_i),
    .k_i        (k_i),
    .ks_i       (ks_i),
    .tab_we_i   (tab_we_i),
    .tab_sel_i  (tab_sel_i),
    .tab_addr_i (tab_addr_i),
    .tab_data_i (tab_data_i),
    .data_i     (data_i),
    .valid_i    (valid_i),
    .ready_o    (ready_o),
    .data_o     (l_y),
    .valid_o    (l_valid),
    .ready_i    (l_ready)
  );

  sm_act_quant #(.Bits(8), .GroupSize(Lanes), .InWidth(32)) u_quant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (l_y),
    .side_i  (1'b0),
    .valid_i (l_valid),
    .ready_o (l_ready),
    .data_o  (data_o),
    .exp_o   (exp_o),
    .side_o  (no_side),
    .valid_o (valid_o),
    .ready_i (ready_i)
  );
endmodule
