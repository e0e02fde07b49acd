// One Mamba2 layer (SPEC §3-4) for Tp tokens in sequence (a chain: each
// token's conv and SSM state follows the previous token's), what
// Mamba2Int::layerBatch computes (layerDecode at Tp = 1), or with Tree = 1
// for the Tp nodes of a token tree in BFS order, each node from its
// parent's state (SPEC §5; the node states go through sm_tree_fifo):
//   residual → pre-RMSNorm → Bits-bit quantizer → in_proj (sm_mmu)
//   → sm_mixer (conv, SSM, gate; on-chip conv and SSM states)
//   → gated RMSNorm → online rotation (H_K ⊗ H_HtuPoints) → Bits-bit quantizer
//   → out_proj (the same sm_mmu) → + residual.
// Streams (valid/ready):
//  * res_i: the residual of the Tp tokens, token-major, 8 int32 per beat
//    (DModel/8 beats per token);
//  * w_i: the weight beats of in_proj then out_proj, each an 8 × 8 tile of
//    Bits-bit weights with the two 3-bit scale exponents of its 8 rows
//    (docs/rtl.md, "sm_mamba_layer"): in_proj output tile r = 0..Rows/8-1,
//    input beat b = 0..DModel/8-1; then out_proj tile r = 0..DModel/8-1,
//    b = 0..DInner/8-1. Each weight beat serves all Tp tokens (TP reuse);
//  * res_o: the new residual, 8 int32 per beat, tile-major with the token
//    inner (tile r of token 0..Tp-1, then tile r+1).
// Phases: Pre (residual in, normed and quantized into the activation
// buffer) | In (in_proj; its output tiles go to the mixer, token 0's
// directly and the later tokens' through a buffer; the mixer's yz through
// the gated norm back into the activation buffer) | Out (out_proj, residual
// add). The activation buffer is shared: in_proj has read it all before the
// first gated-norm output (the mixer needs every in_proj row of a token
// before it sends yz).
// Configuration, stable while not idle_o: the mixer's ports (sm_mixer), the
// two norms' thresholds and tables (nt_sel_i: 0 pre-norm, 1 gated norm) and
// weights (nw_*: 8 lanes of 13 bits; the pre-norm's 11-bit weights in the
// low 11 bits of each lane), the in_proj / out_proj output shifts, the
// rotation shift and the H_K signs (sm_norm_quant). The conv and SSM states
// are loaded and read through the mixer's ports while idle_o.
// InjectBug = 1 adds one to the residual sum; 2 (Tree = 1) leaves the SSM
// state of the previous node in place of the parent's (regression
// self-checks).
module sm_mamba_layer #(
  parameter int unsigned DModel    = 64,
  parameter int unsigned Heads     = 8,
  parameter int unsigned HeadDim   = 16,
  parameter int unsigned DState    = 16,
  parameter int unsigned Bits      = 4,
  parameter int unsigned HtuPoints = 128,  // FWHT points; K = DInner / HtuPoints
  parameter int unsigned Tp        = 1,
  parameter int unsigned Tree      = 0,  // 1: the Tp tokens are a token tree (Tp >= 2)
  parameter int unsigned TreeDepth = 2,  // node states the tree FIFO holds
  parameter int unsigned InjectBug = 0,
  localparam int unsigned Kernel   = 4,
  localparam int unsigned XsW      = sm_pkg::ActExpWidth,
  localparam int unsigned SW       = sm_pkg::WgtExpWidth,
  localparam int unsigned BeatW    = 64 + XsW,
  localparam int unsigned DInner   = Heads * HeadDim,
  localparam int unsigned Rows     = 2 * DInner + 2 * DState + Heads,
  localparam int unsigned ConvG    = (DInner + 2 * DState) / 8,
  localparam int unsigned CgW      = sm_pkg::idx_width(ConvG),
  localparam int unsigned HeadW    = sm_pkg::idx_width(Heads),
  localparam int unsigned StDepth  = DState * DInner / 8,
  localparam int unsigned StAddrW  = sm_pkg::idx_width(StDepth),
  localparam int unsigned WinW     = (Kernel - 1) * BeatW,
  localparam int unsigned WBeatW   = 64 * Bits + 2 * 8 * SW,
  localparam int unsigned NwBeats  = (DModel > DInner ? DModel : DInner) / 8,
  localparam int unsigned NwW      = sm_pkg::idx_width(NwBeats),
  localparam int unsigned ChildW   = sm_pkg::cnt_width(Tp > 1 ? Tp - 1 : 1),
  localparam int unsigned HtuK     = DInner / HtuPoints
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // mixer configuration (sm_mixer)
  input  logic [3*32-1:0]          lut_alpha_i,
  input  logic [3*5-1:0]           lut_k_i,
  input  logic [3*5-1:0]           lut_ks_i,
  input  logic                     tab_we_i,
  input  logic [1:0]               tab_fn_i,
  input  logic                     tab_sel_i,
  input  logic [11:0]              tab_addr_i,
  input  logic [15:0]              tab_data_i,
  input  logic                     par_we_i,
  input  logic [HeadW-1:0]         par_head_i,
  input  logic [15:0]              par_a_i,
  input  logic [2:0]               par_as_i,
  input  logic [7:0]               par_d_i,
  input  logic [XsW-1:0]           par_ds_i,
  input  logic [31:0]              par_dtb_i,
  input  logic                     cw_we_i,
  input  logic [CgW-1:0]           cw_addr_i,
  input  logic [Kernel*64-1:0]     cw_w_i,
  input  logic [Kernel*XsW-1:0]    cw_ws_i,
  input  logic [63:0]              cw_b_i,
  input  logic [XsW-1:0]           cw_bs_i,
  // norms: [0] pre-norm, [1] gated norm
  input  logic [2*8*64-1:0]        nrm_alpha_i,
  input  logic [2*8*6-1:0]         nrm_log2denom_i,
  input  logic [2*8*6-1:0]         nrm_offset_i,
  input  logic                     nt_we_i,
  input  logic                     nt_sel_i,
  input  logic [11:0]              nt_addr_i,
  input  logic [15:0]              nt_data_i,
  input  logic                     nw_we_i,
  input  logic                     nw_sel_i,
  input  logic [NwW-1:0]           nw_addr_i,
  input  logic [8*13-1:0]          nw_data_i,
  // token tree (Tree = 1): children of each node, BFS order, stable while
  // not idle_o; node 0's state is the one loaded, the last node is a leaf
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [Tp*ChildW-1:0]     nchild_i,
  /* verilator lint_on UNUSEDSIGNAL */
  output logic                     tree_overflow_o,
  // shifts: in_proj output, out_proj output, rotation
  input  logic [4:0]               shift_in_i,
  input  logic [4:0]               shift_out_i,
  input  logic [4:0]               shift_rot_i,
  input  logic [HtuK*HtuK-1:0]     hk_signs_i,   // H_K signs (sm_norm_quant)
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
  input  logic [8*32-1:0]          res_i,
  input  logic                     res_valid_i,
  output logic                     res_ready_o,
  input  logic [WBeatW-1:0]        w_i,
  input  logic                     w_valid_i,
  output logic                     w_ready_o,
  output logic [8*32-1:0]          res_o,
  output logic                     res_valid_o,
  input  logic                     res_ready_i
);
  localparam int unsigned MB    = DModel / 8;          // residual beats per token
  localparam int unsigned DB    = DInner / 8;          // yz beats per token
  localparam int unsigned RB    = Rows / 8;            // in_proj output tiles
  localparam int unsigned AB    = NwBeats;             // activation buffer beats per token
  localparam int unsigned ActW  = 8 * Bits + XsW;      // one quantized beat: 8 codes | exponent
  localparam int unsigned AccW  = (Bits == 4) ? 34 : 38;
  localparam int unsigned TW    = sm_pkg::cnt_width(Tp);
  localparam int unsigned MBW   = sm_pkg::cnt_width(MB);
  localparam int unsigned ABW   = sm_pkg::cnt_width(AB);
  localparam int unsigned RBW   = sm_pkg::cnt_width(RB);
  localparam int unsigned TileW = (RBW > MBW) ? RBW : MBW;
  localparam int unsigned MIW   = sm_pkg::idx_width(MB);
  localparam int unsigned DIW   = sm_pkg::idx_width(DB);

  typedef enum logic [1:0] {PhPre, PhIn, PhOut} phase_e;
  phase_e phase_q, phase_d;

  logic [8*32-1:0] rbuf_q [Tp * MB];   // residual in, [t][beat]
  logic [ActW-1:0] abuf_q [Tp * AB];   // MMU input codes, [t][beat]

  // ---- Pre: residual in → pre-norm → quantizer → activation buffer ----
  logic [TW-1:0]  ri_t_q, ri_t_d, po_t_q, po_t_d;
  logic [MBW-1:0] ri_b_q, ri_b_d, po_b_q, po_b_d;
  logic           pre_ready, pre_valid;
  logic [8*Bits-1:0] pre_q;
  logic [XsW-1:0] pre_s;
  logic           res_fire;
  assign res_ready_o = phase_q == PhPre && 32'(ri_t_q) < Tp && pre_ready;
  assign res_fire    = res_valid_i && res_ready_o;

  logic [8*11-1:0] nw_pre;
  always_comb begin
    for (int unsigned l = 0; l < 8; l++) nw_pre[l*11 +: 11] = nw_data_i[l*13 +: 11];
  end

  sm_norm_quant #(
    .Len     (DModel),
    .WBits   (11),
    .OutBits (Bits),
    .Rotate  (0)
  ) u_prenorm (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .alpha_i     (nrm_alpha_i[0 +: 8*64]),
    .log2denom_i (nrm_log2denom_i[0 +: 8*6]),
    .offset_i    (nrm_offset_i[0 +: 8*6]),
    .tab_we_i    (nt_we_i && !nt_sel_i),
    .tab_addr_i  (nt_addr_i),
    .tab_data_i  (nt_data_i),
    .nw_we_i     (nw_we_i && !nw_sel_i),
    .nw_addr_i   (MIW'(nw_addr_i)),
    .nw_data_i   (nw_pre),
    .shift_i     (5'd0),
    .hk_signs_i  (1'b0),
    .data_i      (res_i),
    .valid_i     (res_valid_i && phase_q == PhPre && 32'(ri_t_q) < Tp),
    .ready_o     (pre_ready),
    .data_o      (pre_q),
    .exp_o       (pre_s),
    .valid_o     (pre_valid),
    .ready_i     (1'b1)
  );

  // ---- the MMU: in_proj in phase In, out_proj in phase Out ----
  logic [TileW-1:0] ft_q, ft_d;          // output tile being fed
  logic [ABW-1:0]   fb_q, fb_d;          // input beat within the tile
  logic             feeding, m_ready, m_valid, m_out_ready;
  logic [Tp*8*Bits-1:0] m_x;
  logic [Tp*XsW-1:0]    m_xs;
  logic [Tp*8*32-1:0]   m_y;
  logic             fb_last;
  assign fb_last = (phase_q == PhIn) ? 32'(fb_q) == MB - 1 : 32'(fb_q) == DB - 1;
  assign feeding   = (phase_q == PhIn && 32'(ft_q) < RB) || (phase_q == PhOut && 32'(ft_q) < MB);
  assign w_ready_o = feeding && m_ready;
  always_comb begin
    for (int unsigned t = 0; t < Tp; t++) begin
      m_x[t*8*Bits +: 8*Bits] = abuf_q[t * AB + 32'(fb_q)][0 +: 8*Bits];
      m_xs[t*XsW +: XsW]      = abuf_q[t * AB + 32'(fb_q)][8*Bits +: XsW];
    end
  end

  sm_mmu #(
    .Tp       (Tp),
    .Cop      (8),
    .Cip      (8),
    .WBits    (Bits),
    .ABits    (Bits),
    .AccWidth (AccW),
    .OutWidth (32)
  ) u_mmu (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .w_i     (w_i[0 +: 64*Bits]),
    .x_i     (m_x),
    .xs_i    (m_xs),
    .s1_i    (w_i[64*Bits +: 8*SW]),
    .s2_i    (w_i[64*Bits + 8*SW +: 8*SW]),
    .first_i (fb_q == '0),
    .last_i  (fb_last),
    .shift_i ((phase_q == PhIn) ? shift_in_i : shift_out_i),
    .valid_i (w_valid_i && feeding),
    .ready_o (m_ready),
    .data_o  (m_y),
    .valid_o (m_valid),
    .ready_i (m_out_ready)
  );

  // ---- In: in_proj tiles → mixer (token 0 direct, later tokens buffered) ----
  logic [TW-1:0]  mx_t_q, mx_t_d;         // token the mixer is taking in
  logic [RBW-1:0] mx_b_q, mx_b_d;         // its beat
  logic           mx_valid, mx_ready, mx_fire, tr_run;
  logic [8*32-1:0] mx_data;

  if (Tp > 1) begin : g_zx
    logic            m_in_fire;
    assign m_in_fire = phase_q == PhIn && m_valid && m_out_ready;
    // in_proj outputs of tokens 1..Tp-1, [t-1][tile]
    logic [8*32-1:0] zx_q [(Tp - 1) * RB];
    logic [RBW-1:0]  mo_q, mo_d;          // in_proj output tile counter
    assign mo_d = m_in_fire ? mo_q + 1'b1 : (phase_q == PhPre ? '0 : mo_q);
    always_ff @(posedge clk_i) begin
      if (!rst_ni) mo_q <= '0;
      else mo_q <= mo_d;
    end
    always_ff @(posedge clk_i) begin
      if (m_in_fire) begin
        for (int unsigned t = 1; t < Tp; t++) zx_q[(t - 1) * RB + 32'(mo_q)] <= m_y[t*256 +: 256];
      end
    end
    assign mx_data  = (mx_t_q == '0) ? m_y[0 +: 256] : zx_q[(32'(mx_t_q) - 1) * RB + 32'(mx_b_q)];
    assign mx_valid = phase_q == PhIn && tr_run && ((mx_t_q == '0) ? m_valid : 32'(mx_t_q) < Tp);
  end else begin : g_no_zx
    assign mx_data  = m_y[0 +: 256];
    assign mx_valid = phase_q == PhIn && tr_run && mx_t_q == '0 && m_valid;
  end
  assign mx_fire = mx_valid && mx_ready;

  // ---- mixer ----
  logic            yz_valid, yz_ready, mixer_idle;
  // the mixer's state ports while a pass runs (tree state moves)
  logic                mv_win_we, mv_win_re, mv_st_we, mv_st_re;
  logic [CgW-1:0]      mv_win_addr;
  logic [WinW-1:0]     mv_win_wdata;
  logic [StAddrW-1:0]  mv_st_addr;
  logic [BeatW-1:0]    mv_st_wdata;
  logic [8*32-1:0] yz;
  sm_mixer #(
    .Heads   (Heads),
    .HeadDim (HeadDim),
    .DState  (DState)
  ) u_mixer (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .lut_alpha_i (lut_alpha_i),
    .lut_k_i     (lut_k_i),
    .lut_ks_i    (lut_ks_i),
    .tab_we_i    (tab_we_i),
    .tab_fn_i    (tab_fn_i),
    .tab_sel_i   (tab_sel_i),
    .tab_addr_i  (tab_addr_i),
    .tab_data_i  (tab_data_i),
    .par_we_i    (par_we_i),
    .par_head_i  (par_head_i),
    .par_a_i     (par_a_i),
    .par_as_i    (par_as_i),
    .par_d_i     (par_d_i),
    .par_ds_i    (par_ds_i),
    .par_dtb_i   (par_dtb_i),
    .cw_we_i     (cw_we_i),
    .cw_addr_i   (cw_addr_i),
    .cw_w_i      (cw_w_i),
    .cw_ws_i     (cw_ws_i),
    .cw_b_i      (cw_b_i),
    .cw_bs_i     (cw_bs_i),
    .idle_o      (mixer_idle),
    .win_we_i    (idle_o ? win_we_i : mv_win_we),
    .win_re_i    (idle_o ? win_re_i : mv_win_re),
    .win_addr_i  (idle_o ? win_addr_i : mv_win_addr),
    .win_wdata_i (idle_o ? win_wdata_i : mv_win_wdata),
    .win_rdata_o (win_rdata_o),
    .st_we_i     (idle_o ? st_we_i : mv_st_we),
    .st_re_i     (idle_o ? st_re_i : mv_st_re),
    .st_addr_i   (idle_o ? st_addr_i : mv_st_addr),
    .st_wdata_i  (idle_o ? st_wdata_i : mv_st_wdata),
    .st_rdata_o  (st_rdata_o),
    .data_i      (mx_data),
    .valid_i     (mx_valid),
    .ready_o     (mx_ready),
    .data_o      (yz),
    .valid_o     (yz_valid),
    .ready_i     (yz_ready)
  );

  // ---- token tree: node states through sm_tree_fifo (SPEC §5) ----
  // After node t has left the mixer (idle), its state (the SSM state buffer,
  // then the conv windows: StDepth + 3·ConvG words of BeatW bits) is pushed
  // if t has children; before node t > 0 enters, the FIFO's head copy (its
  // parent's state: BFS order) is written back into the mixer.
  if (Tree != 0) begin : g_tree
    localparam int unsigned TileWords = StDepth + 3 * ConvG;
    localparam int unsigned TWW       = sm_pkg::idx_width(TileWords);
    typedef enum logic [1:0] {TrRun, TrWait, TrSave, TrRestore} tree_e;
    tree_e            tr_q, tr_d;
    logic [TWW-1:0]   sv_w_q, sv_w_d, rs_w_q, rs_w_d;   // word of the tile
    logic [1:0]       sv_k_q, sv_k_d, rs_k_q, rs_k_d;   // entry of a conv window
    logic [CgW-1:0]   sv_g_q, sv_g_d, rs_g_q, rs_g_d;   // conv group
    logic             sv_rd_q, sv_rd_d;                 // a read is in flight
    logic [2*BeatW-1:0] rs_win_q, rs_win_d;             // window entries 0, 1
    logic             f_valid_i, f_ready_o, f_valid_o, f_ready_i, f_last;
    logic [BeatW-1:0] f_data_i, f_data_o;
    logic [ChildW-1:0] f_nchild, node_nchild;
    logic             sv_is_st, rs_is_st;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [ChildW-1:0] f_child;
    logic             f_pop, f_empty, f_full;
    logic [sm_pkg::cnt_width(TreeDepth * TileWords)-1:0] f_used;
    /* verilator lint_on UNUSEDSIGNAL */

    // children of the node that just left the mixer (mx_t_q - 1)
    always_comb begin
      node_nchild = '0;
      for (int unsigned t = 0; t < Tp; t++) begin
        if (32'(mx_t_q) == t + 1) node_nchild = nchild_i[t*ChildW +: ChildW];
      end
    end
    assign sv_is_st = 32'(sv_w_q) < StDepth;
    assign rs_is_st = 32'(rs_w_q) < StDepth;
    assign tr_run   = tr_q == TrRun;

    // save: read an entry (or a window), then push it (a window: 3 pushes)
    assign mv_st_re     = tr_q == TrSave && !sv_rd_q && sv_is_st;
    assign mv_win_re    = tr_q == TrSave && !sv_rd_q && !sv_is_st && sv_k_q == 2'd0;
    assign f_valid_i    = tr_q == TrSave && sv_rd_q;
    assign f_data_i     = sv_is_st ? st_rdata_o : win_rdata_o[32'(sv_k_q)*BeatW +: BeatW];
    assign f_nchild     = node_nchild;
    // restore: each word of the head copy as it comes
    assign f_ready_i    = tr_q == TrRestore;
    assign mv_st_we     = tr_q == TrRestore && f_valid_o && rs_is_st && InjectBug != 2;
    assign mv_win_we    = tr_q == TrRestore && f_valid_o && !rs_is_st && rs_k_q == 2'd2;
    assign mv_st_addr   = (tr_q == TrSave) ? StAddrW'(sv_w_q) : StAddrW'(rs_w_q);
    assign mv_st_wdata  = f_data_o;
    assign mv_win_addr  = (tr_q == TrSave) ? sv_g_q : rs_g_q;
    assign mv_win_wdata = {f_data_o, rs_win_q};

    sm_tree_fifo #(
      .Width       (BeatW),
      .TileWords   (TileWords),
      .Depth       (TreeDepth),
      .MaxChildren (Tp - 1)
    ) u_fifo (
      .clk_i       (clk_i),
      .rst_ni      (rst_ni),
      .data_i      (f_data_i),
      .nchild_i    (f_nchild),
      .valid_i     (f_valid_i),
      .ready_o     (f_ready_o),
      .data_o      (f_data_o),
      .child_o     (f_child),
      .last_word_o (f_last),
      .pop_o       (f_pop),
      .valid_o     (f_valid_o),
      .ready_i     (f_ready_i),
      .empty_o     (f_empty),
      .full_o      (f_full),
      .used_o      (f_used),
      .overflow_o  (tree_overflow_o)
    );

    always_comb begin
      logic sv_last, push;
      tr_d     = tr_q;
      sv_w_d   = sv_w_q;
      sv_k_d   = sv_k_q;
      sv_g_d   = sv_g_q;
      sv_rd_d  = sv_rd_q;
      rs_w_d   = rs_w_q;
      rs_k_d   = rs_k_q;
      rs_g_d   = rs_g_q;
      rs_win_d = rs_win_q;
      push     = f_valid_i && f_ready_o;
      sv_last  = 32'(sv_w_q) == TileWords - 1;
      case (tr_q)
        TrRun: begin
          if (mx_fire && 32'(mx_b_q) == RB - 1) tr_d = TrWait;
        end
        TrWait: begin  // node mx_t_q - 1 is in the mixer until it is idle
          if (mixer_idle) begin
            if (node_nchild != '0 && 32'(mx_t_q) < Tp) tr_d = TrSave;
            else if (32'(mx_t_q) < Tp) tr_d = TrRestore;
            else tr_d = TrRun;
          end
        end
        TrSave: begin
          if (!sv_rd_q) sv_rd_d = 1'b1;
          else if (push) begin
            sv_w_d = sv_last ? '0 : sv_w_q + 1'b1;
            if (sv_is_st) begin
              sv_rd_d = 1'b0;
            end else begin
              sv_k_d = (sv_k_q == 2'd2) ? 2'd0 : sv_k_q + 1'b1;
              if (sv_k_q == 2'd2) begin
                sv_rd_d = 1'b0;
                sv_g_d  = sv_last ? '0 : sv_g_q + 1'b1;
              end
            end
            if (sv_last) tr_d = TrRestore;
          end
        end
        default: begin  // TrRestore
          if (f_valid_o) begin
            rs_w_d = f_last ? '0 : rs_w_q + 1'b1;
            if (!rs_is_st) begin
              rs_k_d = (rs_k_q == 2'd2) ? 2'd0 : rs_k_q + 1'b1;
              if (rs_k_q == 2'd2) rs_g_d = f_last ? '0 : rs_g_q + 1'b1;
              rs_win_d = {f_data_o, rs_win_q[2*BeatW-1 -: BeatW]};
            end
            if (f_last) tr_d = TrRun;
          end
        end
      endcase
    end

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        tr_q    <= TrRun;
        sv_w_q  <= '0;
        sv_k_q  <= '0;
        sv_g_q  <= '0;
        sv_rd_q <= 1'b0;
        rs_w_q  <= '0;
        rs_k_q  <= '0;
        rs_g_q  <= '0;
      end else begin
        tr_q    <= tr_d;
        sv_w_q  <= sv_w_d;
        sv_k_q  <= sv_k_d;
        sv_g_q  <= sv_g_d;
        sv_rd_q <= sv_rd_d;
        rs_w_q  <= rs_w_d;
        rs_k_q  <= rs_k_d;
        rs_g_q  <= rs_g_d;
      end
    end
    always_ff @(posedge clk_i) begin
      rs_win_q <= rs_win_d;
    end
  end else begin : g_chain
    assign tr_run          = 1'b1;
    assign tree_overflow_o = 1'b0;
    assign mv_win_we       = 1'b0;
    assign mv_win_re       = 1'b0;
    assign mv_st_we        = 1'b0;
    assign mv_st_re        = 1'b0;
    assign mv_win_addr     = '0;
    assign mv_win_wdata    = '0;
    assign mv_st_addr      = '0;
    assign mv_st_wdata     = '0;
  end

  // ---- gated norm → rotation → quantizer → activation buffer ----
  logic              gn_valid;
  logic [8*Bits-1:0] gn_q;
  logic [XsW-1:0]    gn_s;
  logic [TW-1:0]     go_t_q, go_t_d;
  logic [ABW-1:0]    go_b_q, go_b_d;
  sm_norm_quant #(
    .Len     (DInner),
    .WBits   (13),
    .OutBits (Bits),
    .Rotate  (1),
    .Points  (HtuPoints)
  ) u_gatednorm (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .alpha_i     (nrm_alpha_i[8*64 +: 8*64]),
    .log2denom_i (nrm_log2denom_i[8*6 +: 8*6]),
    .offset_i    (nrm_offset_i[8*6 +: 8*6]),
    .tab_we_i    (nt_we_i && nt_sel_i),
    .tab_addr_i  (nt_addr_i),
    .tab_data_i  (nt_data_i),
    .nw_we_i     (nw_we_i && nw_sel_i),
    .nw_addr_i   (DIW'(nw_addr_i)),
    .nw_data_i   (nw_data_i),
    .shift_i     (shift_rot_i),
    .hk_signs_i  (hk_signs_i),
    .data_i      (yz),
    .valid_i     (yz_valid),
    .ready_o     (yz_ready),
    .data_o      (gn_q),
    .exp_o       (gn_s),
    .valid_o     (gn_valid),
    .ready_i     (1'b1)
  );

  // ---- Out: out_proj tiles + residual → res_o ----
  logic [TW-1:0]  ot_q, ot_d;             // token of the output beat
  logic [MBW-1:0] or_q, or_d;             // its tile
  logic           res_fire_o;
  always_comb begin
    logic [8*32-1:0] y;
    y = m_y[0 +: 256];
    for (int unsigned t = 1; t < Tp; t++) if (32'(ot_q) == t) y = m_y[t*256 +: 256];
    for (int unsigned l = 0; l < 8; l++) begin
      res_o[l*32 +: 32] = y[l*32 +: 32] + rbuf_q[32'(ot_q) * MB + 32'(or_q)][l*32 +: 32]
                          + 32'(InjectBug == 1);
    end
  end
  assign res_valid_o = phase_q == PhOut && m_valid;
  assign res_fire_o  = res_valid_o && res_ready_i;
  assign m_out_ready = (phase_q == PhIn) ? mx_ready && mx_t_q == '0
                                         : phase_q == PhOut && res_ready_i && 32'(ot_q) == Tp - 1;

  // ---- sequencer ----
  logic m_feed_fire;
  assign m_feed_fire = w_valid_i && w_ready_o;
  always_comb begin
    phase_d = phase_q;
    ri_t_d = ri_t_q;
    ri_b_d = ri_b_q;
    po_t_d = po_t_q;
    po_b_d = po_b_q;
    ft_d   = ft_q;
    fb_d   = fb_q;
    mx_t_d = mx_t_q;
    mx_b_d = mx_b_q;
    go_t_d = go_t_q;
    go_b_d = go_b_q;
    ot_d   = ot_q;
    or_d   = or_q;
    if (res_fire) begin
      ri_b_d = (32'(ri_b_q) == MB - 1) ? '0 : ri_b_q + 1'b1;
      if (32'(ri_b_q) == MB - 1) ri_t_d = ri_t_q + 1'b1;
    end
    if (pre_valid) begin
      po_b_d = (32'(po_b_q) == MB - 1) ? '0 : po_b_q + 1'b1;
      if (32'(po_b_q) == MB - 1) po_t_d = po_t_q + 1'b1;
    end
    if (m_feed_fire) begin
      fb_d = fb_last ? '0 : fb_q + 1'b1;
      if (fb_last) ft_d = ft_q + 1'b1;
    end
    if (mx_fire) begin
      mx_b_d = (32'(mx_b_q) == RB - 1) ? '0 : mx_b_q + 1'b1;
      if (32'(mx_b_q) == RB - 1) mx_t_d = mx_t_q + 1'b1;
    end
    if (gn_valid) begin
      go_b_d = (32'(go_b_q) == DB - 1) ? '0 : go_b_q + 1'b1;
      if (32'(go_b_q) == DB - 1) go_t_d = go_t_q + 1'b1;
    end
    if (res_fire_o) begin
      ot_d = (32'(ot_q) == Tp - 1) ? '0 : ot_q + 1'b1;
      if (32'(ot_q) == Tp - 1) or_d = or_q + 1'b1;
    end
    case (phase_q)
      PhPre: begin
        if (32'(po_t_q) == Tp) begin
          phase_d = PhIn;
          ri_t_d  = '0;
          po_t_d  = '0;
          ft_d    = '0;
        end
      end
      PhIn: begin
        if (32'(go_t_q) == Tp) begin
          phase_d = PhOut;
          ft_d    = '0;
          mx_t_d  = '0;
          go_t_d  = '0;
        end
      end
      default: begin  // PhOut: until the last residual beat has left
        if (res_fire_o && 32'(ot_q) == Tp - 1 && 32'(or_q) == MB - 1) begin
          phase_d = PhPre;
          or_d    = '0;
          ft_d    = '0;
        end
      end
    endcase
  end

  assign idle_o = phase_q == PhPre && ri_t_q == '0 && ri_b_q == '0 && po_t_q == '0 && po_b_q == '0
                  && mixer_idle;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      phase_q <= PhPre;
      ri_t_q  <= '0;
      ri_b_q  <= '0;
      po_t_q  <= '0;
      po_b_q  <= '0;
      ft_q    <= '0;
      fb_q    <= '0;
      mx_t_q  <= '0;
      mx_b_q  <= '0;
      go_t_q  <= '0;
      go_b_q  <= '0;
      ot_q    <= '0;
      or_q    <= '0;
    end else begin
      phase_q <= phase_d;
      ri_t_q  <= ri_t_d;
      ri_b_q  <= ri_b_d;
      po_t_q  <= po_t_d;
      po_b_q  <= po_b_d;
      ft_q    <= ft_d;
      fb_q    <= fb_d;
      mx_t_q  <= mx_t_d;
      mx_b_q  <= mx_b_d;
      go_t_q  <= go_t_d;
      go_b_q  <= go_b_d;
      ot_q    <= ot_d;
      or_q    <= or_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (res_fire) rbuf_q[32'(ri_t_q) * MB + 32'(ri_b_q)] <= res_i;
    // one write port: the pre-norm writes in Pre, the gated norm in In
    if (pre_valid || gn_valid) begin
      abuf_q[pre_valid ? 32'(po_t_q) * AB + 32'(po_b_q) : 32'(go_t_q) * AB + 32'(go_b_q)]
        <= pre_valid ? {pre_s, pre_q} : {gn_s, gn_q};
    end
  end

`ifndef SYNTHESIS
  sm_hold_check #(.Width(8*32)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (res_valid_o),
    .ready_i (res_ready_i),
    .data_i  (res_o)
  );
`endif
endmodule
