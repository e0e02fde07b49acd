// RMSNorm → [online rotation] → group quantizer, for one vector of Len
// values (SPEC §3), both places a layer needs it:
// * the back end of the mixer (what Mamba2Int::finish does after yz): yz →
//   gated RMSNorm (int13 weights) → rotation → 4/8-bit out_proj input;
// * the front of the layer (what Mamba2Int::project does before in_proj):
//   residual → pre-RMSNorm (int11 weights) → 4/8-bit in_proj input, with
//   Rotate = 0 (the in_proj-side rotation is folded offline).
// Rotation (SPEC §3, H_Len = H_K ⊗ H_Points, what intops::hadamardInt does):
// * K = Len / Points = 1: the Len-point Walsh-Hadamard butterfly (sm_fwht)
//   in one beat, then >>> shift_i;
// * K > 1: each of the K blocks of Points values through one Points-point
//   sm_fwht, then each column (the K values at one position) through
//   sm_hadamard_k with the sign matrix hk_signs_i (row-major, bit a·K + b set
//   = -1) and shift_i. The vector is gathered in one buffer that both steps
//   write back in place; one vector at a time.
// Input stream: int32, 8 per beat. Output stream: OutBits-bit codes (lane l
// in bits OutBits·l…) and the group exponent.
// Configuration (stable while a vector flows): the norm table port and
// thresholds as in sm_rmsnorm, the norm weights per beat (nw_*), shift_i.
// With the rotation, the normed vector is gathered (Len/8 beats), rotated in
// one beat and sent on 8 values per beat.
// InjectBug = 1 shifts the rotated vector one bit too far (self-check).
module sm_norm_quant #(
  parameter int unsigned Len       = 128,
  parameter int unsigned WBits     = 13,
  parameter int unsigned OutBits   = 4,
  parameter int unsigned Rotate    = 1,
  parameter int unsigned Points    = Len,  // FWHT points (a power of two dividing Len)
  parameter int unsigned InjectBug = 0,
  localparam int unsigned K        = Len / Points,
  localparam int unsigned Beats    = Len / 8,
  localparam int unsigned BW       = sm_pkg::idx_width(Beats),
  localparam int unsigned XsW      = sm_pkg::ActExpWidth
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // RMSNorm configuration
  input  logic [8*64-1:0]       alpha_i,
  input  logic [8*6-1:0]        log2denom_i,
  input  logic [8*6-1:0]        offset_i,
  input  logic                  tab_we_i,
  input  logic [11:0]           tab_addr_i,
  input  logic [15:0]           tab_data_i,
  input  logic                  nw_we_i,
  input  logic [BW-1:0]         nw_addr_i,
  input  logic [8*WBits-1:0]    nw_data_i,
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [4:0]            shift_i,  // not used when Rotate = 0
  input  logic [K*K-1:0]        hk_signs_i,  // used when K > 1
  /* verilator lint_on UNUSEDSIGNAL */
  // streams
  input  logic [8*32-1:0]       data_i,
  input  logic                  valid_i,
  output logic                  ready_o,
  output logic [8*OutBits-1:0]  data_o,
  output logic [XsW-1:0]        exp_o,
  output logic                  valid_o,
  input  logic                  ready_i
);
  logic [8*WBits-1:0] nw_q [Beats];
  logic [BW-1:0]      in_q, in_d;
  logic               in_fire;

  assign in_fire = valid_i && ready_o;
  assign in_d    = in_fire ? ((32'(in_q) == Beats - 1) ? '0 : in_q + 1'b1) : in_q;

  // ---- RMSNorm ----
  logic            n_valid, n_ready;
  logic [8*32-1:0] n_y;
  /* verilator lint_off UNUSEDSIGNAL */
  logic            n_last;  // the beat count is known
  /* verilator lint_on UNUSEDSIGNAL */
  sm_rmsnorm #(
    .Lanes     (8),
    .MaxBeats  (Beats),
    .WBits     (WBits)
  ) u_norm (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .alpha_i     (alpha_i),
    .log2denom_i (log2denom_i),
    .offset_i    (offset_i),
    .tab_we_i    (tab_we_i),
    .tab_addr_i  (tab_addr_i),
    .tab_data_i  (tab_data_i),
    .x_i         (data_i),
    .w_i         (nw_q[in_q]),
    .last_i      (32'(in_q) == Beats - 1),
    .valid_i     (valid_i),
    .ready_o     (ready_o),
    .data_o      (n_y),
    .last_o      (n_last),
    .valid_o     (n_valid),
    .ready_i     (n_ready)
  );

  // ---- online rotation (or none) ----
  logic            r_valid, r_ready;
  logic [8*32-1:0] r_y;
  if (Rotate != 0 && K > 1) begin : g_rotate_k
    localparam int unsigned LogPoints = $clog2(Points);
    localparam int unsigned KBW       = sm_pkg::cnt_width(K);
    localparam int unsigned ColW      = sm_pkg::cnt_width(Points);
    typedef enum logic [2:0] {RkGather, RkFwht, RkCols, RkEmit} rk_e;
    rk_e               st_q, st_d;
    logic [Len*32-1:0] vec_q, vec_d;
    logic [BW-1:0]     g_q, g_d;          // gather / emit beat
    logic [KBW-1:0]    fi_q, fi_d, fo_q, fo_d;  // FWHT blocks in / out
    logic [ColW-1:0]   ci_q, ci_d, co_q, co_d;  // columns in / out
    logic              f_ready, f_valid, k_ready, k_valid;
    logic [Points*32-1:0] f_y;
    logic [K*32-1:0]   col_in, k_y;
    logic [Points*32-1:0] blk_in;

    assign n_ready = st_q == RkGather;
    // Reads of the vector by block, column and beat, written as one-hot
    // selects: Yosys makes variable part-selects of a Len·32-bit vector
    // into barrel shifters and takes minutes over them.
    always_comb begin
      col_in = '0;
      blk_in = '0;
      r_y    = '0;
      for (int unsigned j = 0; j < Points; j++) begin
        if (32'(ci_q) == j) begin
          for (int unsigned b = 0; b < K; b++) col_in[b*32 +: 32] = vec_q[(b*Points + j)*32 +: 32];
        end
      end
      for (int unsigned b = 0; b < K; b++) begin
        if (32'(fi_q) == b) blk_in = vec_q[b*Points*32 +: Points*32];
      end
      for (int unsigned g = 0; g < Beats; g++) begin
        if (32'(g_q) == g) r_y = vec_q[g*256 +: 256];
      end
    end

    sm_fwht #(
      .LogPoints (LogPoints),
      .Width     (32)
    ) u_fwht (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .data_i  (blk_in),
      .valid_i (st_q == RkFwht && 32'(fi_q) < K),
      .ready_o (f_ready),
      .data_o  (f_y),
      .valid_o (f_valid),
      .ready_i (1'b1)
    );

    sm_hadamard_k #(
      .MaxK      (K),
      .InWidth   (32),
      .AccWidth  (40),
      .OutWidth  (32),
      .InjectBug (InjectBug)
    ) u_hk (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .k_i     (KBW'(K)),
      .signs_i (hk_signs_i),
      .shift_i (shift_i),
      .data_i  (col_in),
      .valid_i (st_q == RkCols && 32'(ci_q) < Points),
      .ready_o (k_ready),
      .data_o  (k_y),
      .valid_o (k_valid),
      .ready_i (1'b1)
    );

    assign r_valid = st_q == RkEmit;

    always_comb begin
      st_d  = st_q;
      vec_d = vec_q;
      g_d   = g_q;
      fi_d  = fi_q;
      fo_d  = fo_q;
      ci_d  = ci_q;
      co_d  = co_q;
      case (st_q)
        RkGather: begin
          if (n_valid) begin
            for (int unsigned g = 0; g < Beats; g++) begin
              if (32'(g_q) == g) vec_d[g*256 +: 256] = n_y;
            end
            g_d = g_q + 1'b1;
            if (32'(g_q) == Beats - 1) begin
              g_d  = '0;
              st_d = RkFwht;
            end
          end
        end
        RkFwht: begin  // blocks in place: block b is taken before its result lands
          if (32'(fi_q) < K && f_ready) fi_d = fi_q + 1'b1;
          if (f_valid) begin
            for (int unsigned b = 0; b < K; b++) begin
              if (32'(fo_q) == b) vec_d[b*Points*32 +: Points*32] = f_y;
            end
            fo_d = fo_q + 1'b1;
            if (32'(fo_q) == K - 1) begin
              fi_d = '0;
              fo_d = '0;
              st_d = RkCols;
            end
          end
        end
        RkCols: begin  // columns in place, likewise
          if (32'(ci_q) < Points && k_ready) ci_d = ci_q + 1'b1;
          if (k_valid) begin
            for (int unsigned j = 0; j < Points; j++) begin
              if (32'(co_q) == j) begin
                for (int unsigned a = 0; a < K; a++) vec_d[(a*Points + j)*32 +: 32] = k_y[a*32 +: 32];
              end
            end
            co_d = co_q + 1'b1;
            if (32'(co_q) == Points - 1) begin
              ci_d = '0;
              co_d = '0;
              st_d = RkEmit;
            end
          end
        end
        default: begin  // RkEmit
          if (r_ready) begin
            g_d = g_q + 1'b1;
            if (32'(g_q) == Beats - 1) begin
              g_d  = '0;
              st_d = RkGather;
            end
          end
        end
      endcase
    end

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        st_q <= RkGather;
        g_q  <= '0;
        fi_q <= '0;
        fo_q <= '0;
        ci_q <= '0;
        co_q <= '0;
      end else begin
        st_q <= st_d;
        g_q  <= g_d;
        fi_q <= fi_d;
        fo_q <= fo_d;
        ci_q <= ci_d;
        co_q <= co_d;
      end
    end
    always_ff @(posedge clk_i) begin
      vec_q <= vec_d;
    end
  end else if (Rotate != 0) begin : g_rotate
    localparam int unsigned LogPoints = $clog2(Len);
    logic [Len*32-1:0] vec_q, vec_d;
    logic                 full_q, full_d;
    logic [BW-1:0]        g_q, g_d, s_q, s_d;
    logic                 h_ready, h_valid;
    logic [Len*32-1:0] h_y;

    // gather the normed vector
    assign n_ready = !full_q;
    always_comb begin
      vec_d  = vec_q;
      full_d = full_q && !h_ready;
      g_d    = g_q;
      if (n_valid && n_ready) begin
        for (int unsigned g = 0; g < Beats; g++) begin
          if (32'(g_q) == g) vec_d[g*256 +: 256] = n_y;
        end
        g_d = g_q + 1'b1;
        if (32'(g_q) == Beats - 1) begin
          g_d    = '0;
          full_d = 1'b1;
        end
      end
    end

    sm_fwht #(
      .LogPoints (LogPoints),
      .Width     (32)
    ) u_fwht (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .data_i  (vec_q),
      .valid_i (full_q),
      .ready_o (h_ready),
      .data_o  (h_y),
      .valid_o (h_valid),
      .ready_i (r_ready && 32'(s_q) == Beats - 1)
    );

    // send it on 8 values per beat, shifted
    assign r_valid = h_valid;
    always_comb begin
      s_d = s_q;
      if (h_valid && r_ready) s_d = (32'(s_q) == Beats - 1) ? '0 : s_q + 1'b1;
      r_y = '0;
      for (int unsigned g = 0; g < Beats; g++) begin
        if (32'(s_q) == g) begin
          for (int unsigned l = 0; l < 8; l++) begin
            r_y[l*32 +: 32] = $signed(h_y[(g*8 + l)*32 +: 32]) >>> (shift_i + 5'(InjectBug != 0));
          end
        end
      end
    end

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        full_q <= 1'b0;
        g_q    <= '0;
        s_q    <= '0;
      end else begin
        full_q <= full_d;
        g_q    <= g_d;
        s_q    <= s_d;
      end
    end
    always_ff @(posedge clk_i) begin
      vec_q <= vec_d;
    end
  end else begin : g_plain
    assign r_valid = n_valid;
    assign r_y     = n_y;
    assign n_ready = r_ready;
  end

  // ---- out_proj input quantizer ----
  /* verilator lint_off UNUSEDSIGNAL */
  logic no_side;
  /* verilator lint_on UNUSEDSIGNAL */
  sm_act_quant #(
    .Bits      (OutBits),
    .GroupSize (8),
    .InWidth   (32)
  ) u_quant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (r_y),
    .side_i  (1'b0),
    .valid_i (r_valid),
    .ready_o (r_ready),
    .data_o  (data_o),
    .exp_o   (exp_o),
    .side_o  (no_side),
    .valid_o (valid_o),
    .ready_i (ready_i)
  );

  always_ff @(posedge clk_i) begin
    if (!rst_ni) in_q <= '0;
    else in_q <= in_d;
  end
  always_ff @(posedge clk_i) begin
    if (nw_we_i) nw_q[nw_addr_i] <= nw_data_i;
  end
endmodule
