// LUT RMSNorm (SPEC §3), Lanes elements per beat:
//   sum = sum x^2 (64-bit); i = the last sub-table with alpha_i <= sum;
//   r = T_i[clamp((sum - alpha_i) >>> log2denom_i, 0, 511)] << offset_i
//   y = ((x * r) >>> 12) * w >>> 8
// A vector arrives as beats of x (and its weights w, signed WBits) ending
// with last_i; it is summed and kept in an on-chip buffer (block RAM), r is
// looked up (2 cycles), then the vector streams out. One vector at a time:
// a vector of B beats takes about 2B + 4 cycles.
// The table (8 x 512 x 16 bits, address i*512 + idx), alpha_i, log2denom_i
// and offset_i are configuration (intops::RmsLut), stable while vectors flow.
// x*r only needs its bits 12..43 (the golden model checks the result fits
// 32 bits), so r and the product are kept to 44 bits.
// InjectBug = 1 picks the sub-table with alpha_i < sum instead of <=.
module sm_rmsnorm #(
  parameter int unsigned Lanes     = 8,
  parameter int unsigned MaxBeats  = 640,
  parameter int unsigned WBits     = 13,
  parameter int unsigned InjectBug = 0,
  localparam int unsigned BW       = sm_pkg::cnt_width(MaxBeats)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // configuration
  input  logic [8*64-1:0]       alpha_i,
  input  logic [8*6-1:0]        log2denom_i,
  input  logic [8*6-1:0]        offset_i,
  input  logic                  tab_we_i,
  input  logic [11:0]           tab_addr_i,
  input  logic [15:0]           tab_data_i,
  // input vector
  input  logic [Lanes*32-1:0]   x_i,
  input  logic [Lanes*WBits-1:0] w_i,
  input  logic                  last_i,
  input  logic                  valid_i,
  output logic                  ready_o,
  // output vector
  output logic [Lanes*32-1:0]   data_o,
  output logic                  last_o,
  output logic                  valid_o,
  input  logic                  ready_i
);
  localparam int unsigned EntW = Lanes * (32 + WBits);
  localparam int unsigned AW   = sm_pkg::idx_width(MaxBeats);
  typedef enum logic [1:0] {StIn, StIdx, StLook, StOut} state_e;

  logic [EntW-1:0] buf_mem [MaxBeats];
  logic [15:0]     tab_mem [4096];

  state_e          state_q, state_d;
  logic [63:0]     sum_q, sum_d;
  logic [BW-1:0]   count_q, count_d;   // beats in the buffer
  logic [BW-1:0]   rd_q, rd_d;         // next beat to fetch
  logic [2:0]      sub_q, sub_d;
  logic [11:0]     taddr_q, taddr_d;
  logic [15:0]     tval_q;
  logic [43:0]     r_q, r_d;
  logic [EntW-1:0] ent_q;
  logic            out_valid_q, out_valid_d, out_last_q, out_last_d;

  logic accept, fetch, tab_rd;
  assign ready_o = (state_q == StIn) && (count_q != BW'(MaxBeats));
  assign accept  = valid_i && ready_o;
  assign fetch   = (state_q == StOut) && (rd_q != count_q) && (!out_valid_q || ready_i);
  assign tab_rd  = (state_q == StIdx);

  always_comb begin
    logic [63:0] sq_sum;
    logic [63:0] d;
    logic [2:0]  i;
    sq_sum      = '0;
    d           = '0;
    i           = '0;
    state_d     = state_q;
    sum_d       = sum_q;
    count_d     = count_q;
    rd_d        = rd_q;
    sub_d       = sub_q;
    taddr_d     = taddr_q;
    r_d         = r_q;
    out_valid_d = out_valid_q;
    out_last_d  = out_last_q;
    if (ready_i) out_valid_d = 1'b0;
    case (state_q)
      StIn: begin
        if (accept) begin
          for (int unsigned l = 0; l < Lanes; l++) begin
            sq_sum = sq_sum + 64'($signed(x_i[l*32 +: 32])) * 64'($signed(x_i[l*32 +: 32]));
          end
          sum_d   = sum_q + sq_sum;
          count_d = count_q + 1'b1;
          if (last_i) state_d = StIdx;
        end
        // sub-table and index for the sum of this vector, registered
        for (int unsigned j = 1; j < 8; j++) begin
          if (InjectBug != 0) begin
            if (sum_d > alpha_i[j*64 +: 64]) i = 3'(j);
          end else if (sum_d >= alpha_i[j*64 +: 64]) begin
            i = 3'(j);
          end
        end
        sub_d = i;
        d = (sum_d - alpha_i[i*64 +: 64]) >> log2denom_i[i*6 +: 6];
        // sum >= alpha_i, so d >= 0: only the upper clamp applies
        taddr_d = {i, (d > 64'd511) ? 9'd511 : d[8:0]};
      end
      StIdx: state_d = StLook;  // table read (registered) in this cycle
      StLook: begin
        r_d     = 44'(tval_q) << offset_i[sub_q*6 +: 6];
        rd_d    = '0;
        state_d = StOut;
      end
      StOut: begin
        if (fetch) begin
          rd_d        = rd_q + 1'b1;
          out_valid_d = 1'b1;
          out_last_d  = (rd_q + 1'b1 == count_q);
        end
        if (rd_q == count_q && (!out_valid_q || ready_i)) begin
          state_d = StIn;
          sum_d   = '0;
          count_d = '0;
        end
      end
      default: state_d = StIn;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q     <= StIn;
      sum_q       <= '0;
      count_q     <= '0;
      rd_q        <= '0;
      out_valid_q <= 1'b0;
      out_last_q  <= 1'b0;
    end else begin
      state_q     <= state_d;
      sum_q       <= sum_d;
      count_q     <= count_d;
      rd_q        <= rd_d;
      out_valid_q <= out_valid_d;
      out_last_q  <= out_last_d;
    end
  end

  always_ff @(posedge clk_i) begin
    sub_q   <= sub_d;
    taddr_q <= taddr_d;
    r_q     <= r_d;
  end

  // vector buffer and table: one write and one registered read port each
  always_ff @(posedge clk_i) begin
    if (accept) buf_mem[count_q[AW-1:0]] <= {w_i, x_i};
    if (fetch) ent_q <= buf_mem[rd_q[AW-1:0]];
    if (tab_we_i) tab_mem[tab_addr_i] <= tab_data_i;
    if (tab_rd) tval_q <= tab_mem[taddr_q];
  end

  // output: a function of registers only (ent_q changes only on fetch)
  always_comb begin
    // only bits 12..43 of x*r and 8..39 of xr*w are needed
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [43:0] xr;
    logic signed [43:0] p;
    logic signed [31+WBits:0] q;
    /* verilator lint_on UNUSEDSIGNAL */
    xr = '0;
    p  = '0;
    q  = '0;
    for (int unsigned l = 0; l < Lanes; l++) begin
      p  = 44'($signed(ent_q[l*32 +: 32])) * $signed(r_q);
      xr = p >>> 12;
      q  = (32+WBits)'($signed(xr[31:0])) * (32+WBits)'($signed(ent_q[Lanes*32 + l*WBits +: WBits]));
      data_o[l*32 +: 32] = 32'(q >>> 8);
    end
  end

  assign valid_o = out_valid_q;
  assign last_o  = out_last_q;

`ifndef SYNTHESIS
  sm_hold_check #(.Width(Lanes*32+1)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  ({last_o, data_o})
  );
`endif
endmodule
