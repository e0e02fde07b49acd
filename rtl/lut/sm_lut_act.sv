// LUT nonlinearity unit (SiLU / softplus / exp, SPEC §3), Lanes values per beat:
//   d = x - alpha
//   y = T[clamp(d >>> k, 0, 4095)] << Ts[clamp(d >>> ks, 0, 31)]
// T (4096 x int16) and Ts (32 x 4-bit) are written through the table port
// (the offline generator's tables, intops::siluLut() etc.), replicated per
// lane so every lane reads in the same cycle (block RAM for T). alpha_i, k_i,
// ks_i and the tables are configuration: stable while values flow; one
// instance per function.
// Pipeline: index | table read (registered RAM) | shift: latency 3, II 1.
// InjectBug = 1 computes d = x - alpha - 1 (regression self-check only).
module sm_lut_act #(
  parameter int unsigned Lanes     = 8,
  parameter int unsigned InjectBug = 0,
  localparam int unsigned Entries  = 4096,
  localparam int unsigned SEntries = 32
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // configuration
  input  logic signed [31:0]    alpha_i,
  input  logic [4:0]            k_i,
  input  logic [4:0]            ks_i,
  input  logic                  tab_we_i,
  input  logic                  tab_sel_i,   // 0: T[addr] = data, 1: Ts[addr] = data[3:0]
  input  logic [11:0]           tab_addr_i,
  input  logic [15:0]           tab_data_i,
  // stream
  input  logic [Lanes*32-1:0]   data_i,
  input  logic                  valid_i,
  output logic                  ready_o,
  output logic [Lanes*32-1:0]   data_o,
  output logic                  valid_o,
  input  logic                  ready_i
);
  localparam logic signed [33:0] IMax = 34'sd4095;  // Entries - 1
  localparam logic signed [33:0] JMax = 34'sd31;    // SEntries - 1

  logic                 s1_valid_q, s1_valid_d, s2_valid_q, s2_valid_d, s3_valid_q, s3_valid_d;
  logic [Lanes*12-1:0]  s1_i_q, s1_i_d;
  logic [Lanes*5-1:0]   s1_j_q, s1_j_d;
  logic [Lanes*16-1:0]  s2_t_q;
  logic [Lanes*4-1:0]   s2_ts_q;
  logic [Lanes*32-1:0]  s3_y_q, s3_y_d;
  logic                 s3_ready, s2_ready, s1_ready;

  assign s3_ready = !s3_valid_q || ready_i;
  assign s2_ready = !s2_valid_q || s3_ready;
  assign s1_ready = !s1_valid_q || s2_ready;
  assign ready_o  = s1_ready;

  // stage 1: indices
  always_comb begin
    logic signed [33:0] d;
    logic signed [33:0] di;
    logic signed [33:0] dj;
    d          = '0;
    di         = '0;
    dj         = '0;
    s1_valid_d = s1_valid_q;
    s1_i_d     = s1_i_q;
    s1_j_d     = s1_j_q;
    if (s1_ready) begin
      s1_valid_d = valid_i;
      for (int unsigned l = 0; l < Lanes; l++) begin
        d = 34'(signed'(data_i[l*32 +: 32])) - 34'(alpha_i);
        if (InjectBug != 0) d = d - 34'sd1;
        di = d >>> k_i;
        dj = d >>> ks_i;
        if (di < 0) s1_i_d[l*12 +: 12] = '0;
        else if (di > IMax) s1_i_d[l*12 +: 12] = 12'(Entries - 1);
        else s1_i_d[l*12 +: 12] = di[11:0];
        if (dj < 0) s1_j_d[l*5 +: 5] = '0;
        else if (dj > JMax) s1_j_d[l*5 +: 5] = 5'(SEntries - 1);
        else s1_j_d[l*5 +: 5] = dj[4:0];
      end
    end
  end

  // stage 2: table reads, one copy of the tables per lane
  assign s2_valid_d = s2_ready ? s1_valid_q : s2_valid_q;
  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    logic [15:0] t_mem [Entries];
    logic [3:0]  ts_mem [SEntries];
    always_ff @(posedge clk_i) begin
      if (tab_we_i && !tab_sel_i) t_mem[tab_addr_i] <= tab_data_i;
      if (tab_we_i && tab_sel_i) ts_mem[tab_addr_i[4:0]] <= tab_data_i[3:0];
      if (s2_ready) begin
        s2_t_q[l*16 +: 16] <= t_mem[s1_i_q[l*12 +: 12]];
        s2_ts_q[l*4 +: 4]  <= ts_mem[s1_j_q[l*5 +: 5]];
      end
    end
  end

  // stage 3: shift
  always_comb begin
    s3_valid_d = s3_valid_q;
    s3_y_d     = s3_y_q;
    if (s3_ready) begin
      s3_valid_d = s2_valid_q;
      for (int unsigned l = 0; l < Lanes; l++) begin
        s3_y_d[l*32 +: 32] = 32'(signed'(s2_t_q[l*16 +: 16])) <<< s2_ts_q[l*4 +: 4];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      s3_valid_q <= 1'b0;
    end else begin
      s1_valid_q <= s1_valid_d;
      s2_valid_q <= s2_valid_d;
      s3_valid_q <= s3_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    s1_i_q <= s1_i_d;
    s1_j_q <= s1_j_d;
    s3_y_q <= s3_y_d;
  end

  assign data_o  = s3_y_q;
  assign valid_o = s3_valid_q;

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
