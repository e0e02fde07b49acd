// SSM unit (SPEC §3 SSM step, §4 SSMU): one token of the PoT SSM step over
// Heads heads of HeadDim (P) channels and DState (N) states, PP = 8 lanes,
// with the on-chip state buffer (int8 h [N][Heads*P] + a 4-bit exponent per
// 8 p, one entry per (n, head, p-tile), inferred RAM) read and written in
// place.
//
// Input stream (data_i: 8 int8 lanes in bits [63:0], the 4-bit group
// exponent in [67:64]), per token, in this order:
//   Heads/8 beats dt | N/8 beats B | N/8 beats C | Heads*P/8 beats x
// (x in natural d_inner order, taken one beat per p-tile as the loop reaches
// it). Output stream: y (8 x int32, Q12) per p-tile, natural d_inner order.
//
// Per token: header (dt, B, C into registers) → dA phase (Heads/8 beats:
// dt·A → exp LUT (sm_lut_act) → 8-bit quantizer → dA) → main loop, one beat
// per (head, p-tile, n-tile, n), II 1:
//   issue: state read (registered RAM read), dt·B (8 lanes of the n-tile)
//   → sm_act_quant: dB of the n-tile (recomputed per beat: 8 small
//     multipliers and a quantizer instead of a dB buffer), lane n picked
//   → sm_ssm_update: h' = dAh + dBx, re-quantized along headdim; the stored
//     state is written back at the same address
//   → sm_ssm_transpose: 8 n of h' → 8 columns (one per p)
//   → sm_act_quant: h' re-quantized along N
//   → sm_ssm_htc: htC over the n-tiles, + xD → y beat of the p-tile.
// The unit drains between tokens (the header registers are reused), so the
// state port (st_*) may be used whenever idle_o is high: st_we_i writes an
// entry, st_re_i reads one (st_rdata_o the next cycle).
// Configuration (stable while a token runs): the exp LUT (tab_*, exp_*) and
// the per-head parameters A (int16, 3-bit exponent per 8 heads) and D (int8,
// 4-bit exponent per 8 heads) through par_* (each write sets one head and its
// group's exponents).
// InjectBug = 1 rounds htC instead of truncating (regression self-check).
module sm_ssmu #(
  parameter int unsigned Heads     = 8,
  parameter int unsigned HeadDim   = 16,
  parameter int unsigned DState    = 16,
  parameter int unsigned InjectBug = 0,
  localparam int unsigned Lanes    = 8,
  localparam int unsigned XsW      = sm_pkg::ActExpWidth,
  localparam int unsigned BeatW    = Lanes * 8 + XsW,
  localparam int unsigned Depth    = DState * Heads * HeadDim / Lanes,
  localparam int unsigned AddrW    = sm_pkg::idx_width(Depth),
  localparam int unsigned HeadW    = sm_pkg::idx_width(Heads)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // exp LUT (sm_lut_act) configuration
  input  logic signed [31:0]       exp_alpha_i,
  input  logic [4:0]               exp_k_i,
  input  logic [4:0]               exp_ks_i,
  input  logic                     tab_we_i,
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
  // state buffer access while idle
  output logic                     idle_o,
  input  logic                     st_we_i,
  input  logic                     st_re_i,
  input  logic [AddrW-1:0]         st_addr_i,
  input  logic [BeatW-1:0]         st_wdata_i,
  output logic [BeatW-1:0]         st_rdata_o,
  // dt | B | C | x stream
  input  logic [BeatW-1:0]         data_i,
  input  logic                     valid_i,
  output logic                     ready_o,
  // y stream
  output logic [Lanes*32-1:0]      data_o,
  output logic                     valid_o,
  input  logic                     ready_i
);
  localparam int unsigned HG     = Heads / Lanes;    // head groups
  localparam int unsigned PT     = HeadDim / Lanes;  // p-tiles per head
  localparam int unsigned NT     = DState / Lanes;   // n-tiles
  localparam int unsigned HdrN   = HG + 2 * NT;      // header beats
  localparam int unsigned YBeats = Heads * PT;       // y beats per token
  localparam int unsigned HdrW   = sm_pkg::idx_width(HdrN);
  localparam int unsigned HgW    = sm_pkg::cnt_width(HG);
  localparam int unsigned PtW    = sm_pkg::idx_width(PT);
  localparam int unsigned NtW    = sm_pkg::idx_width(NT);
  localparam int unsigned JW     = sm_pkg::idx_width(Lanes);
  localparam int unsigned YW     = sm_pkg::idx_width(YBeats);
  localparam int unsigned IW     = 48;               // dt·A and dt·B before truncation

  typedef enum logic [1:0] {PhHdr, PhDa, PhMain, PhDrain} phase_e;

  // ---- token registers ----
  phase_e                  phase_q, phase_d;
  logic [HdrW-1:0]         hdr_q, hdr_d;
  logic [Heads*8-1:0]      dt_q, dt_d;
  logic [HG*XsW-1:0]       dts_q, dts_d;
  logic [DState*8-1:0]     b_q, b_d, c_q, c_d;
  logic [NT*XsW-1:0]       bs_q, bs_d, cs_q, cs_d;
  logic [Heads*8-1:0]      da_q, da_d;
  logic [HG*XsW-1:0]       das_q, das_d;
  logic [HgW-1:0]          da_iss_q, da_iss_d, da_ret_q, da_ret_d;
  // ---- per-head parameters ----
  logic [Heads*16-1:0]     a_q;
  logic [HG*3-1:0]         as_q;
  logic [Heads*8-1:0]      d_q;
  logic [HG*XsW-1:0]       ds_q;
  // ---- main-loop counters and the x of the current p-tile ----
  logic [HeadW-1:0]        h_q, h_d;
  logic [PtW-1:0]          pt_q, pt_d;
  logic [NtW-1:0]          nt_q, nt_d;
  logic [JW-1:0]           j_q, j_d;
  logic [BeatW-1:0]        x_q, x_d;
  logic [YW-1:0]           ycnt_q, ycnt_d;

  // ---- header and dA phase ----
  logic                    lut_ready, lut_valid, daq_valid;
  logic [Lanes*32-1:0]     dta, lut_y;
  logic [Lanes*8-1:0]      daq_q8;
  logic [XsW-1:0]          daq_s;
  // the dA quantizer never stalls (ready_i = 1) and carries no side band
  /* verilator lint_off UNUSEDSIGNAL */
  logic                    daq_ready, daq_side;
  /* verilator lint_on UNUSEDSIGNAL */

  always_comb begin
    logic signed [IW-1:0] p;
    p   = '0;
    dta = '0;
    for (int unsigned l = 0; l < Lanes; l++) begin
      p = (IW'($signed(dt_q[(32'(da_iss_q)*Lanes+l)*8 +: 8])) *
           IW'($signed(a_q[(32'(da_iss_q)*Lanes+l)*16 +: 16])))
          <<< ((XsW+1)'(dts_q[32'(da_iss_q)*XsW +: XsW]) + (XsW+1)'(as_q[32'(da_iss_q)*3 +: 3]));
      p = p >>> 10;
      dta[l*32 +: 32] = p[31:0];
    end
  end

  sm_lut_act #(
    .Lanes (Lanes)
  ) u_exp (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .alpha_i    (exp_alpha_i),
    .k_i        (exp_k_i),
    .ks_i       (exp_ks_i),
    .tab_we_i   (tab_we_i),
    .tab_sel_i  (tab_sel_i),
    .tab_addr_i (tab_addr_i),
    .tab_data_i (tab_data_i),
    .data_i     (dta),
    .valid_i    (phase_q == PhDa && 32'(da_iss_q) < HG),
    .ready_o    (lut_ready),
    .data_o     (lut_y),
    .valid_o    (lut_valid),
    .ready_i    (1'b1)
  );

  // One quantizer stage pair for dA (never stalls: its output goes to registers).
  sm_act_quant #(
    .Bits      (8),
    .GroupSize (Lanes),
    .InWidth   (32)
  ) u_da_quant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (lut_y),
    .side_i  (1'b0),
    .valid_i (lut_valid),
    .ready_o (daq_ready),
    .data_o  (daq_q8),
    .exp_o   (daq_s),
    .side_o  (daq_side),
    .valid_o (daq_valid),
    .ready_i (1'b1)
  );

  // ---- main loop: issue ----
  // Side band carried from issue to the state write-back / C contraction.
  localparam int unsigned SideW = AddrW + 1 + 1 + JW + BeatW + BeatW + 8 + XsW + 8 + XsW;
  //                              addr   first last j   C      x      dA  das  D  ds
  logic                    iss_valid, iss_fire, s1_ready, first_pt, last_beat;
  logic [AddrW-1:0]        iss_addr;
  logic [BeatW-1:0]        iss_x;
  logic [Lanes*32-1:0]     iss_db;
  logic [SideW-1:0]        iss_side;
  logic                    s1_valid_q, s1_valid_d;
  logic [Lanes*32-1:0]     s1_db_q, s1_db_d;
  logic [SideW-1:0]        s1_side_q, s1_side_d;
  logic                    st_re;
  logic [AddrW-1:0]        st_raddr;
  logic [BeatW-1:0]        st_rdata_q;
  logic [BeatW-1:0]        st_mem [Depth];

  assign first_pt  = nt_q == '0 && j_q == '0;
  assign last_beat = 32'(h_q) == Heads - 1 && 32'(pt_q) == PT - 1 && 32'(nt_q) == NT - 1 &&
                     32'(j_q) == Lanes - 1;
  assign iss_valid = phase_q == PhMain && (!first_pt || valid_i);
  assign iss_fire  = iss_valid && s1_ready;
  assign iss_x     = first_pt ? data_i : x_q;
  // entry of (n, head, p-tile): n * Heads*P/8 + head * P/8 + p-tile
  assign iss_addr  = AddrW'((32'(nt_q) * Lanes + 32'(j_q)) * Heads * PT + 32'(h_q) * PT + 32'(pt_q));
  assign iss_side  = {iss_addr, nt_q == '0, 32'(nt_q) == NT - 1, j_q,
                      cs_q[32'(nt_q)*XsW +: XsW], c_q[32'(nt_q)*Lanes*8 +: Lanes*8], iss_x,
                      da_q[32'(h_q)*8 +: 8], das_q[(32'(h_q)/Lanes)*XsW +: XsW],
                      d_q[32'(h_q)*8 +: 8], ds_q[(32'(h_q)/Lanes)*XsW +: XsW]};

  always_comb begin
    // dB keeps 32 bits: the golden model checks that it fits
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [IW-1:0] p;
    /* verilator lint_on UNUSEDSIGNAL */
    p      = '0;
    iss_db = '0;
    for (int unsigned l = 0; l < Lanes; l++) begin
      p = (IW'($signed(dt_q[32'(h_q)*8 +: 8])) *
           IW'($signed(b_q[(32'(nt_q)*Lanes+l)*8 +: 8])))
          <<< ((XsW+1)'(dts_q[(32'(h_q)/Lanes)*XsW +: XsW]) + (XsW+1)'(bs_q[32'(nt_q)*XsW +: XsW]));
      iss_db[l*32 +: 32] = p[31:0];
    end
  end

  assign st_re    = iss_fire || (idle_o && st_re_i);
  assign st_raddr = (phase_q == PhMain) ? iss_addr : st_addr_i;

  // ---- sequencer ----
  always_comb begin
    phase_d  = phase_q;
    hdr_d    = hdr_q;
    dt_d     = dt_q;
    dts_d    = dts_q;
    b_d      = b_q;
    bs_d     = bs_q;
    c_d      = c_q;
    cs_d     = cs_q;
    da_d     = da_q;
    das_d    = das_q;
    da_iss_d = da_iss_q;
    da_ret_d = da_ret_q;
    h_d      = h_q;
    pt_d     = pt_q;
    nt_d     = nt_q;
    j_d      = j_q;
    x_d      = x_q;
    ycnt_d   = ycnt_q;
    ready_o  = 1'b0;
    case (phase_q)
      PhHdr: begin
        ready_o = 1'b1;
        if (valid_i) begin
          hdr_d = hdr_q + 1'b1;
          if (32'(hdr_q) < HG) begin
            dt_d[32'(hdr_q)*Lanes*8 +: Lanes*8] = data_i[Lanes*8-1:0];
            dts_d[32'(hdr_q)*XsW +: XsW]        = data_i[BeatW-1 -: XsW];
          end else if (32'(hdr_q) < HG + NT) begin
            b_d[(32'(hdr_q)-HG)*Lanes*8 +: Lanes*8] = data_i[Lanes*8-1:0];
            bs_d[(32'(hdr_q)-HG)*XsW +: XsW]        = data_i[BeatW-1 -: XsW];
          end else begin
            c_d[(32'(hdr_q)-HG-NT)*Lanes*8 +: Lanes*8] = data_i[Lanes*8-1:0];
            cs_d[(32'(hdr_q)-HG-NT)*XsW +: XsW]        = data_i[BeatW-1 -: XsW];
          end
          if (32'(hdr_q) == HdrN - 1) begin
            hdr_d    = '0;
            phase_d  = PhDa;
            da_iss_d = '0;
            da_ret_d = '0;
          end
        end
      end
      PhDa: begin
        if (32'(da_iss_q) < HG && lut_ready) da_iss_d = da_iss_q + 1'b1;
        if (daq_valid) begin
          da_d[32'(da_ret_q)*Lanes*8 +: Lanes*8] = daq_q8;
          das_d[32'(da_ret_q)*XsW +: XsW]        = daq_s;
          da_ret_d = da_ret_q + 1'b1;
          if (32'(da_ret_q) == HG - 1) phase_d = PhMain;
        end
      end
      PhMain: begin
        ready_o = first_pt && s1_ready;
        if (iss_fire) begin
          x_d = iss_x;
          j_d = j_q + 1'b1;
          if (32'(j_q) == Lanes - 1) begin
            nt_d = nt_q + 1'b1;
            if (32'(nt_q) == NT - 1) begin
              nt_d = '0;
              pt_d = pt_q + 1'b1;
              if (32'(pt_q) == PT - 1) begin
                pt_d = '0;
                h_d  = h_q + 1'b1;
              end
            end
          end
          if (last_beat) begin
            h_d     = '0;
            phase_d = PhDrain;
          end
        end
      end
      default: ;  // PhDrain: wait for the last y beat
    endcase
    if (valid_o && ready_i) begin
      ycnt_d = ycnt_q + 1'b1;
      if (32'(ycnt_q) == YBeats - 1) begin
        ycnt_d  = '0;
        phase_d = PhHdr;
      end
    end
  end

  assign idle_o = phase_q == PhHdr && hdr_q == '0;

  // ---- issue register (the state RAM's read register is its data half) ----
  logic                q1_ready;
  assign s1_ready = !s1_valid_q || q1_ready;
  always_comb begin
    s1_valid_d = s1_valid_q;
    s1_db_d    = s1_db_q;
    s1_side_d  = s1_side_q;
    if (s1_ready) begin
      s1_valid_d = iss_fire;
      s1_db_d    = iss_db;
      s1_side_d  = iss_side;
    end
  end

  // ---- dB of the n-tile (8-bit, along N) ----
  logic                q1_valid;
  logic [Lanes*8-1:0]  q1_db;
  logic [XsW-1:0]      q1_dbs;
  logic [SideW-1:0]    q1_side;
  logic [BeatW-1:0]    q1_h;
  sm_act_quant #(
    .Bits      (8),
    .GroupSize (Lanes),
    .InWidth   (32),
    .SideWidth (SideW + BeatW)
  ) u_db_quant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (s1_db_q),
    .side_i  ({s1_side_q, st_rdata_q}),
    .valid_i (s1_valid_q),
    .ready_o (q1_ready),
    .data_o  (q1_db),
    .exp_o   (q1_dbs),
    .side_o  ({q1_side, q1_h}),
    .valid_o (q1_valid),
    .ready_i (u_ready)
  );

  // ---- state update h' = dAh + dBx, re-quantized along headdim ----
  // q1_side fields
  localparam int unsigned OffDs   = 0;
  localparam int unsigned OffD    = OffDs + XsW;
  localparam int unsigned OffDas  = OffD + 8;
  localparam int unsigned OffDa   = OffDas + XsW;
  localparam int unsigned OffX    = OffDa + 8;
  localparam int unsigned OffC    = OffX + BeatW;
  localparam int unsigned OffJ    = OffC + BeatW;
  localparam int unsigned OffLast = OffJ + JW;
  localparam int unsigned OffFirst= OffLast + 1;
  localparam int unsigned OffAddr = OffFirst + 1;
  // what travels on past the state update: C, x, D, first, last, address
  localparam int unsigned USideW  = AddrW + 2 + BeatW + BeatW + 8 + XsW;
  logic                u_ready, u_valid, t_ready;
  logic [Lanes*32-1:0] u_hnew;
  logic [Lanes*8-1:0]  u_hq;
  logic [XsW-1:0]      u_hs;
  logic [USideW-1:0]   u_side;
  logic [JW-1:0]       q1_j;
  assign q1_j = q1_side[OffJ +: JW];

  sm_ssm_update #(
    .SideWidth (USideW)
  ) u_update (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .da_i    (q1_side[OffDa +: 8]),
    .das_i   (q1_side[OffDas +: XsW]),
    .db_i    (q1_db[32'(q1_j)*8 +: 8]),
    .dbs_i   (q1_dbs),
    .h_i     (q1_h[Lanes*8-1:0]),
    .hs_i    (q1_h[BeatW-1 -: XsW]),
    .x_i     (q1_side[OffX +: Lanes*8]),
    .xs_i    (q1_side[OffX + Lanes*8 +: XsW]),
    .side_i  ({q1_side[OffAddr +: AddrW], q1_side[OffFirst], q1_side[OffLast],
               q1_side[OffC +: BeatW], q1_side[OffX +: BeatW], q1_side[OffD +: 8],
               q1_side[OffDs +: XsW]}),
    .valid_i (q1_valid),
    .ready_o (u_ready),
    .hnew_o  (u_hnew),
    .hq_o    (u_hq),
    .hs_o    (u_hs),
    .side_o  (u_side),
    .valid_o (u_valid),
    .ready_i (t_ready)
  );

  // ---- state buffer: registered read, write-back of the updated entry ----
  logic             wb_fire;
  logic [AddrW-1:0] wb_addr;
  assign wb_fire = u_valid && t_ready;
  assign wb_addr = u_side[USideW-1 -: AddrW];
  always_ff @(posedge clk_i) begin
    if (st_re) st_rdata_q <= st_mem[st_raddr];
    if (wb_fire) st_mem[wb_addr] <= {u_hs, u_hq};
    else if (idle_o && st_we_i) st_mem[st_addr_i] <= st_wdata_i;
  end
  assign st_rdata_o = st_rdata_q;

  // ---- 8 x 8 transpose: h' along N per p ----
  localparam int unsigned TSideW = USideW - AddrW;  // first, last, C, x, D, ds
  logic                t_valid, a_ready;
  logic [Lanes*32-1:0] t_col;
  logic [JW-1:0]       t_idx;
  logic [TSideW-1:0]   t_side;
  sm_ssm_transpose #(
    .Lanes     (Lanes),
    .Width     (32),
    .SideWidth (TSideW)
  ) u_transpose (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (u_hnew),
    .side_i  (u_side[TSideW-1:0]),
    .valid_i (u_valid),
    .ready_o (t_ready),
    .data_o  (t_col),
    .col_o   (t_idx),
    .side_o  (t_side),
    .valid_o (t_valid),
    .ready_i (a_ready)
  );

  // ---- h' re-quantized along N ----
  logic                a_valid, c_ready;
  logic [Lanes*8-1:0]  a_hq;
  logic [XsW-1:0]      a_hs;
  logic [TSideW-1:0]   a_side;
  logic [JW-1:0]       a_idx;
  sm_act_quant #(
    .Bits      (8),
    .GroupSize (Lanes),
    .InWidth   (32),
    .SideWidth (TSideW + JW)
  ) u_hn_quant (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .data_i  (t_col),
    .side_i  ({t_side, t_idx}),
    .valid_i (t_valid),
    .ready_o (a_ready),
    .data_o  (a_hq),
    .exp_o   (a_hs),
    .side_o  ({a_side, a_idx}),
    .valid_o (a_valid),
    .ready_i (c_ready)
  );

  // ---- htC, xD, y ----
  // a_side fields: first | last | C | x | D | ds
  sm_ssm_htc #(
    .Lanes     (Lanes),
    .InjectBug (InjectBug)
  ) u_htc (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .hq_i    (a_hq),
    .hs_i    (a_hs),
    .cq_i    (a_side[8 + XsW + BeatW +: Lanes*8]),
    .cs_i    (a_side[8 + XsW + BeatW + Lanes*8 +: XsW]),
    .col_i   (a_idx),
    .first_i (a_side[TSideW-1]),
    .last_i  (a_side[TSideW-2]),
    .xq_i    (a_side[8 + XsW +: Lanes*8]),
    .xs_i    (a_side[8 + XsW + Lanes*8 +: XsW]),
    .dq_i    (a_side[XsW +: 8]),
    .ds_i    (a_side[0 +: XsW]),
    .valid_i (a_valid),
    .ready_o (c_ready),
    .y_o     (data_o),
    .valid_o (valid_o),
    .ready_i (ready_i)
  );

  // ---- registers ----
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      phase_q    <= PhHdr;
      hdr_q      <= '0;
      da_iss_q   <= '0;
      da_ret_q   <= '0;
      h_q        <= '0;
      pt_q       <= '0;
      nt_q       <= '0;
      j_q        <= '0;
      ycnt_q     <= '0;
      s1_valid_q <= 1'b0;
    end else begin
      phase_q    <= phase_d;
      hdr_q      <= hdr_d;
      da_iss_q   <= da_iss_d;
      da_ret_q   <= da_ret_d;
      h_q        <= h_d;
      pt_q       <= pt_d;
      nt_q       <= nt_d;
      j_q        <= j_d;
      ycnt_q     <= ycnt_d;
      s1_valid_q <= s1_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    dt_q      <= dt_d;
    dts_q     <= dts_d;
    b_q       <= b_d;
    bs_q      <= bs_d;
    c_q       <= c_d;
    cs_q      <= cs_d;
    da_q      <= da_d;
    das_q     <= das_d;
    x_q       <= x_d;
    s1_db_q   <= s1_db_d;
    s1_side_q <= s1_side_d;
    if (par_we_i) begin
      a_q[32'(par_head_i)*16 +: 16]            <= par_a_i;
      as_q[(32'(par_head_i)/Lanes)*3 +: 3]     <= par_as_i;
      d_q[32'(par_head_i)*8 +: 8]              <= par_d_i;
      ds_q[(32'(par_head_i)/Lanes)*XsW +: XsW] <= par_ds_i;
    end
  end
endmodule
