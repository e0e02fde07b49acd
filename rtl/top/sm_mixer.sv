// Mixer core of one Mamba2 layer for one token (SPEC §3), between in_proj
// and the gated RMSNorm: what Mamba2Int::convInput / prepare /
// pushConvInput / ssmHeads and the gate of finish compute.
//
// Input stream: the in_proj outputs of the token (int32 Q10, 8 rows per
// beat, natural row order): D/8 beats z | (D+2N)/8 beats xBC | Heads/8 beats
// dt_raw. Output stream: yz = y·SiLU(z) (int32 Q12, 8 per beat, d_inner
// order).
//   z    → SiLU LUT → 8-bit quantizer → z buffer (int8 + exponent)
//   xBC  → 8-bit quantizer → sm_conv1d (window = conv state) → SiLU LUT
//        → 8-bit quantizer → xBC buffer
//   dt   → + dt_bias → softplus LUT → 8-bit quantizer → dt buffer
// then dt | B | C | x go to sm_ssmu and its y, with the z of the same beat,
// through sm_gate. Phases follow each other (all inputs in, then the SSMU):
// the MMU's natural row order puts dt last, and the SSMU needs dt first.
// Configuration (while idle_o): the LUT tables (tab_fn_i: 0 SiLU, 1 softplus,
// 2 exp; tab_sel_i/addr/data as in sm_lut_act) and their alpha/k/ks; per
// head A, D (sm_ssmu's par_*) and dt_bias; per 8-channel group of xBC the
// conv taps, tap exponents, bias and bias exponent (cw_*). The conv state and
// the SSM state are loaded and read through the window port of sm_conv1d and
// the state port of sm_ssmu.
module sm_mixer #(
  parameter int unsigned Heads     = 8,
  parameter int unsigned HeadDim   = 16,
  parameter int unsigned DState    = 16,
  parameter int unsigned InjectBug = 0,
  localparam int unsigned Kernel   = 4,
  localparam int unsigned XsW      = sm_pkg::ActExpWidth,
  localparam int unsigned BeatW    = 64 + XsW,
  localparam int unsigned DInner   = Heads * HeadDim,
  localparam int unsigned ConvG    = (DInner + 2 * DState) / 8,
  localparam int unsigned CgW      = sm_pkg::idx_width(ConvG),
  localparam int unsigned HeadW    = sm_pkg::idx_width(Heads),
  localparam int unsigned StDepth  = DState * DInner / 8,
  localparam int unsigned StAddrW  = sm_pkg::idx_width(StDepth),
  localparam int unsigned WinW     = (Kernel - 1) * BeatW
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // LUTs
  input  logic [3*32-1:0]          lut_alpha_i,  // [fn] SiLU, softplus, exp
  input  logic [3*5-1:0]           lut_k_i,
  input  logic [3*5-1:0]           lut_ks_i,
  input  logic                     tab_we_i,
  input  logic [1:0]               tab_fn_i,
  input  logic                     tab_sel_i,
  input  logic [11:0]              tab_addr_i,
  input  logic [15:0]              tab_data_i,
  // per-head parameters
  input  logic                     par_we_i,
  input  logic [HeadW-1:0]         par_head_i,
  input  logic [15:0]              par_a_i,
  input  logic [2:0]               par_as_i,
  input  logic [7:0]               par_d_i,
  input  logic [XsW-1:0]           par_ds_i,
  input  logic [31:0]              par_dtb_i,
  // conv weights per group
  input  logic                     cw_we_i,
  input  logic [CgW-1:0]           cw_addr_i,
  input  logic [Kernel*64-1:0]     cw_w_i,
  input  logic [Kernel*XsW-1:0]    cw_ws_i,
  input  logic [63:0]              cw_b_i,
  input  logic [XsW-1:0]           cw_bs_i,
  // states (while idle)
  output logic                     idle_o,
  input  logic                     win_we_i,
  input  logic                     win_re_i,
  input  logic [CgW-1:0]           win_addr_i,
  input  logic [WinW-1:0]          win_wdata_i,
  output logic [WinW-1:0]          win_rdata_o,
  input  logic                     st_we_i,
  input  logic                     st_re_i,
  input  logic [StAddrW-1:0]       st_addr_i,
  input  logic [BeatW-1:0]         st_wdata_i,
  output logic [BeatW-1:0]         st_rdata_o,
  // streams
  input  logic [8*32-1:0]          data_i,
  input  logic                     valid_i,
  output logic                     ready_o,
  output logic [8*32-1:0]          data_o,
  output logic                     valid_o,
  input  logic                     ready_i
);
  localparam int unsigned ZB    = DInner / 8;
  localparam int unsigned HG    = Heads / 8;
  localparam int unsigned NT    = DState / 8;
  localparam int unsigned InN   = ZB + ConvG + HG;      // input beats per token
  localparam int unsigned FeedN = HG + 2 * NT + ZB;     // SSMU input beats
  localparam int unsigned InW   = sm_pkg::cnt_width(InN);
  localparam int unsigned FeedW = sm_pkg::idx_width(FeedN);
  localparam int unsigned ZW    = sm_pkg::cnt_width(ZB);
  localparam int unsigned CW    = sm_pkg::cnt_width(ConvG);
  localparam int unsigned DW    = sm_pkg::cnt_width(HG);
  localparam int unsigned ZIW   = sm_pkg::idx_width(ZB);
  localparam int unsigned DIW   = sm_pkg::idx_width(HG);

  typedef enum logic [1:0] {PhIn, PhFeed, PhRun} phase_e;

  phase_e           phase_q, phase_d;
  logic [InW-1:0]   in_q, in_d;
  logic [FeedW-1:0] feed_q, feed_d;
  logic [ZW-1:0]    zw_q, zw_d, yc_q, yc_d;
  logic [CW-1:0]    xw_q, xw_d;
  logic [DW-1:0]    dw_q, dw_d;
  logic [ZW-1:0]    oc_q, oc_d;

  logic [BeatW-1:0] zbuf_q [ZB];
  logic [BeatW-1:0] xbuf_q [ConvG];
  logic [BeatW-1:0] dbuf_q [HG];
  logic [31:0]      dtb_q [Heads];
  logic [Kernel*64-1:0]  cw_w_q [ConvG];
  logic [Kernel*XsW-1:0] cw_ws_q [ConvG];
  logic [63:0]           cw_b_q [ConvG];
  logic [XsW-1:0]        cw_bs_q [ConvG];

  // in_open: the token's input is still being taken; the next token's
  // first beat, offered right after the last one, must reach no unit.
  logic in_open, is_z, is_x, is_dt, z_ready, x_ready, d_ready, in_fire;
  assign in_open = phase_q == PhIn && 32'(in_q) < InN;
  assign is_z    = 32'(in_q) < ZB;
  assign is_x    = !is_z && 32'(in_q) < ZB + ConvG;
  assign is_dt   = !is_z && !is_x;
  assign ready_o = in_open && ((is_z && z_ready) || (is_x && x_ready) || (is_dt && d_ready));
  assign in_fire = valid_i && ready_o;

  // ---- z: SiLU, 8-bit ----
  logic               zq_valid;
  logic [63:0]        zq_q8;
  logic [XsW-1:0]     zq_s;
  sm_lut_quant #(.Lanes(8)) u_zsilu (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .alpha_i    (lut_alpha_i[0 +: 32]),
    .k_i        (lut_k_i[0 +: 5]),
    .ks_i       (lut_ks_i[0 +: 5]),
    .tab_we_i   (tab_we_i && tab_fn_i == 2'd0),
    .tab_sel_i  (tab_sel_i),
    .tab_addr_i (tab_addr_i),
    .tab_data_i (tab_data_i),
    .data_i     (data_i),
    .valid_i    (valid_i && in_open && is_z),
    .ready_o    (z_ready),
    .data_o     (zq_q8),
    .exp_o      (zq_s),
    .valid_o    (zq_valid),
    .ready_i    (1'b1)
  );

  // ---- xBC: 8-bit conv input, conv1d, SiLU, 8-bit ----
  logic               ci_valid, ci_ready, cv_valid, cv_ready, xq_valid;
  logic [63:0]        ci_q8;
  logic [XsW-1:0]     ci_s;
  logic [CgW-1:0]     ci_g;
  logic [8*32-1:0]    cv_y;
  logic [63:0]        xq_q8;
  logic [XsW-1:0]     xq_s;
  sm_act_quant #(.Bits(8), .GroupSize(8), .InWidth(32), .SideWidth(CgW)) u_cin_quant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (data_i),
    .side_i  (CgW'(32'(in_q) - ZB)),
    .valid_i (valid_i && in_open && is_x),
    .ready_o (x_ready),
    .data_o  (ci_q8),
    .exp_o   (ci_s),
    .side_o  (ci_g),
    .valid_o (ci_valid),
    .ready_i (ci_ready)
  );
  sm_conv1d #(.Groups(ConvG), .Kernel(Kernel), .InjectBug(0)) u_conv (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .group_i     (ci_g),
    .clear_i     (1'b0),
    .x_i         (ci_q8),
    .xs_i        (ci_s),
    .w_i         (cw_w_q[ci_g]),
    .ws_i        (cw_ws_q[ci_g]),
    .b_i         (cw_b_q[ci_g]),
    .bs_i        (cw_bs_q[ci_g]),
    .win_we_i    (win_we_i && idle_o),
    .win_re_i    (win_re_i && idle_o),
    .win_addr_i  (win_addr_i),
    .win_wdata_i (win_wdata_i),
    .win_rdata_o (win_rdata_o),
    .valid_i     (ci_valid),
    .ready_o     (ci_ready),
    .data_o      (cv_y),
    .valid_o     (cv_valid),
    .ready_i     (cv_ready)
  );
  sm_lut_quant #(.Lanes(8)) u_csilu (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .alpha_i    (lut_alpha_i[0 +: 32]),
    .k_i        (lut_k_i[0 +: 5]),
    .ks_i       (lut_ks_i[0 +: 5]),
    .tab_we_i   (tab_we_i && tab_fn_i == 2'd0),
    .tab_sel_i  (tab_sel_i),
    .tab_addr_i (tab_addr_i),
    .tab_data_i (tab_data_i),
    .data_i     (cv_y),
    .valid_i    (cv_valid),
    .ready_o    (cv_ready),
    .data_o     (xq_q8),
    .exp_o      (xq_s),
    .valid_o    (xq_valid),
    .ready_i    (1'b1)
  );

  // ---- dt: + bias, softplus, 8-bit ----
  logic [8*32-1:0]    dt_in;
  logic               dq_valid;
  logic [63:0]        dq_q8;
  logic [XsW-1:0]     dq_s;
  always_comb begin
    for (int unsigned l = 0; l < 8; l++) begin
      dt_in[l*32 +: 32] = data_i[l*32 +: 32] + dtb_q[(32'(in_q) - ZB - ConvG) * 8 + l];
    end
  end
  sm_lut_quant #(.Lanes(8)) u_softplus (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .alpha_i    (lut_alpha_i[32 +: 32]),
    .k_i        (lut_k_i[5 +: 5]),
    .ks_i       (lut_ks_i[5 +: 5]),
    .tab_we_i   (tab_we_i && tab_fn_i == 2'd1),
    .tab_sel_i  (tab_sel_i),
    .tab_addr_i (tab_addr_i),
    .tab_data_i (tab_data_i),
    .data_i     (dt_in),
    .valid_i    (valid_i && in_open && is_dt),
    .ready_o    (d_ready),
    .data_o     (dq_q8),
    .exp_o      (dq_s),
    .valid_o    (dq_valid),
    .ready_i    (1'b1)
  );

  // ---- SSMU feed: dt | B | C | x from the buffers ----
  logic             feed_valid_q, feed_valid_d, s_ready, s_valid, s_idle, g_ready;
  logic [BeatW-1:0] feed_data_q, feed_data_d;
  logic [8*32-1:0]  s_y;
  always_comb begin
    feed_d       = feed_q;
    feed_valid_d = feed_valid_q && !s_ready;
    feed_data_d  = feed_data_q;
    if (phase_q == PhFeed && (!feed_valid_q || s_ready)) begin
      feed_valid_d = 1'b1;
      feed_d       = (32'(feed_q) == FeedN - 1) ? '0 : feed_q + 1'b1;
      if (32'(feed_q) < HG) feed_data_d = dbuf_q[DIW'(feed_q)];
      else if (32'(feed_q) < HG + 2 * NT) feed_data_d = xbuf_q[32'(feed_q) - HG + ZB];
      else feed_data_d = xbuf_q[32'(feed_q) - HG - 2 * NT];
    end
  end

  sm_ssmu #(
    .Heads     (Heads),
    .HeadDim   (HeadDim),
    .DState    (DState),
    .InjectBug (InjectBug)
  ) u_ssmu (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .exp_alpha_i (lut_alpha_i[64 +: 32]),
    .exp_k_i     (lut_k_i[10 +: 5]),
    .exp_ks_i    (lut_ks_i[10 +: 5]),
    .tab_we_i    (tab_we_i && tab_fn_i == 2'd2),
    .tab_sel_i   (tab_sel_i),
    .tab_addr_i  (tab_addr_i),
    .tab_data_i  (tab_data_i),
    .par_we_i    (par_we_i),
    .par_head_i  (par_head_i),
    .par_a_i     (par_a_i),
    .par_as_i    (par_as_i),
    .par_d_i     (par_d_i),
    .par_ds_i    (par_ds_i),
    .idle_o      (s_idle),
    .st_we_i     (st_we_i && idle_o),
    .st_re_i     (st_re_i && idle_o),
    .st_addr_i   (st_addr_i),
    .st_wdata_i  (st_wdata_i),
    .st_rdata_o  (st_rdata_o),
    .data_i      (feed_data_q),
    .valid_i     (feed_valid_q),
    .ready_o     (s_ready),
    .data_o      (s_y),
    .valid_o     (s_valid),
    .ready_i     (g_ready)
  );

  // ---- gate with the z of the same 8 channels ----
  sm_gate u_gate (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .y_i     (s_y),
    .zq_i    (zbuf_q[ZIW'(yc_q)][63:0]),
    .zs_i    (zbuf_q[ZIW'(yc_q)][BeatW-1 -: XsW]),
    .valid_i (s_valid),
    .ready_o (g_ready),
    .data_o  (data_o),
    .valid_o (valid_o),
    .ready_i (ready_i)
  );

  // ---- sequencer ----
  always_comb begin
    phase_d = phase_q;
    in_d    = in_fire ? in_q + 1'b1 : in_q;
    zw_d    = zq_valid ? zw_q + 1'b1 : zw_q;
    xw_d    = xq_valid ? xw_q + 1'b1 : xw_q;
    dw_d    = dq_valid ? dw_q + 1'b1 : dw_q;
    yc_d    = (s_valid && g_ready) ? yc_q + 1'b1 : yc_q;
    oc_d    = (valid_o && ready_i) ? oc_q + 1'b1 : oc_q;
    case (phase_q)
      PhIn: begin
        if (32'(zw_q) == ZB && 32'(xw_q) == ConvG && 32'(dw_q) == HG) begin
          phase_d = PhFeed;
          in_d    = '0;
          zw_d    = '0;
          xw_d    = '0;
          dw_d    = '0;
        end
      end
      PhFeed: begin
        if (32'(feed_q) == FeedN - 1 && (!feed_valid_q || s_ready)) phase_d = PhRun;
      end
      default: begin  // PhRun: until the last yz beat has left
        if (valid_o && ready_i && 32'(oc_q) == ZB - 1) begin
          phase_d = PhIn;
          oc_d    = '0;
          yc_d    = '0;
        end
      end
    endcase
  end

  assign idle_o = phase_q == PhIn && in_q == '0 && s_idle;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      phase_q      <= PhIn;
      in_q         <= '0;
      feed_q       <= '0;
      feed_valid_q <= 1'b0;
      zw_q         <= '0;
      xw_q         <= '0;
      dw_q         <= '0;
      yc_q         <= '0;
      oc_q         <= '0;
    end else begin
      phase_q      <= phase_d;
      in_q         <= in_d;
      feed_q       <= feed_d;
      feed_valid_q <= feed_valid_d;
      zw_q         <= zw_d;
      xw_q         <= xw_d;
      dw_q         <= dw_d;
      yc_q         <= yc_d;
      oc_q         <= oc_d;
    end
  end

  always_ff @(posedge clk_i) begin
    feed_data_q <= feed_data_d;
    if (zq_valid) zbuf_q[ZIW'(zw_q)] <= {zq_s, zq_q8};
    if (xq_valid) xbuf_q[CgW'(xw_q)] <= {xq_s, xq_q8};
    if (dq_valid) dbuf_q[DIW'(dw_q)] <= {dq_s, dq_q8};
    if (par_we_i) dtb_q[par_head_i] <= par_dtb_i;
    if (cw_we_i) begin
      cw_w_q[cw_addr_i]  <= cw_w_i;
      cw_ws_q[cw_addr_i] <= cw_ws_i;
      cw_b_q[cw_addr_i]  <= cw_b_i;
      cw_bs_q[cw_addr_i] <= cw_bs_i;
    end
  end
endmodule
