// Depthwise causal conv1d with on-chip int8 state (SPEC §3), one group of 8
// channels per beat:
//   acc = (b << b_s) + sum_k (x_k * w_k) << (x_s,k + w_s,k),  y = acc >>> 10
// x_k for k < Kernel-1 is the window (the quantized inputs of the last
// Kernel-1 tokens, oldest first) of this group, x_{Kernel-1} the beat's own
// input. The windows live in a buffer of Groups entries (block RAM: read when
// a beat is accepted, written back when it leaves the first stage); a beat
// right behind one of the same group takes the window forwarded from it, so
// beats of any group order follow each other without hazards.
// AccWidth = 40: the golden model checks the accumulator fits; all sums are
// exact modulo 2^AccWidth. Registers: inputs + window | output: latency 2, II 1.
// clear_i zeroes the window of the beat's group before use (first token).
// Window port (the layer loads the conv state from memory and stores it
// back): while no beat is in flight (valid_i low, stage 1 empty), win_we_i
// writes group win_addr_i's window and win_re_i reads it (win_rdata_o the
// next cycle). A window is Kernel-1 entries of 68 bits, oldest in the lowest
// bits; an entry is {x (8 x int8, lane l in bits 4+8l..), x_s (bits 3:0)}.
// InjectBug = 1 rounds the output to nearest (regression self-check only).
module sm_conv1d #(
  parameter int unsigned Groups    = 8,
  parameter int unsigned Kernel    = 4,
  parameter int unsigned AccWidth  = 40,
  parameter int unsigned InjectBug = 0,
  localparam int unsigned GW       = sm_pkg::idx_width(Groups),
  localparam int unsigned XsW      = sm_pkg::ActExpWidth
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic [GW-1:0]            group_i,
  input  logic                     clear_i,
  input  logic [63:0]              x_i,    // 8 x int8, this token's input
  input  logic [XsW-1:0]           xs_i,
  input  logic [Kernel*64-1:0]     w_i,    // [tap][8] int8
  input  logic [Kernel*XsW-1:0]    ws_i,   // [tap]
  input  logic [63:0]              b_i,    // 8 x int8
  input  logic [XsW-1:0]           bs_i,
  input  logic                     win_we_i,
  input  logic                     win_re_i,
  input  logic [GW-1:0]            win_addr_i,
  input  logic [(Kernel-1)*(64+XsW)-1:0] win_wdata_i,
  output logic [(Kernel-1)*(64+XsW)-1:0] win_rdata_o,
  input  logic                     valid_i,
  output logic                     ready_o,
  output logic [8*32-1:0]          data_o, // 8 x int32
  output logic                     valid_o,
  input  logic                     ready_i
);
  localparam int unsigned Taps = Kernel - 1;          // window entries
  localparam int unsigned EntW = 64 + XsW;            // one token of one group
  localparam int unsigned WinW = Taps * EntW;

  logic [WinW-1:0] win_mem [Groups];

  logic                      s1_valid_q, s1_valid_d;
  logic [GW-1:0]             s1_group_q, s1_group_d;
  logic                      s1_clear_q, s1_clear_d;
  logic                      s1_fwd_q, s1_fwd_d;      // window forwarded from the beat ahead
  logic [WinW-1:0]           s1_fwd_win_q, s1_fwd_win_d;
  logic [WinW-1:0]           rd_win_q;                // block RAM read register
  logic [EntW-1:0]           s1_in_q, s1_in_d;        // this token's input
  logic [Kernel*64-1:0]      s1_w_q, s1_w_d;
  logic [Kernel*XsW-1:0]     s1_ws_q, s1_ws_d;
  logic [63:0]               s1_b_q, s1_b_d;
  logic [XsW-1:0]            s1_bs_q, s1_bs_d;
  logic                      y_valid_q, y_valid_d;
  logic [8*32-1:0]           y_q, y_d;

  logic                   y_ready, s1_ready, accept, s1_adv;
  logic [WinW-1:0]        win_old, win_new;
  logic [Kernel*EntW-1:0] s1_x;  // window + input, oldest first

  assign y_ready  = !y_valid_q || ready_i;
  assign s1_ready = !s1_valid_q || y_ready;
  assign ready_o  = s1_ready;
  assign accept   = valid_i && s1_ready;
  assign s1_adv   = s1_valid_q && y_ready;  // the beat in stage 1 moves on (and writes back)
  assign win_old  = s1_clear_q ? '0 : (s1_fwd_q ? s1_fwd_win_q : rd_win_q);
  assign s1_x     = {s1_in_q, win_old};

  // the window drops its oldest entry and takes this input
  if (Taps > 1) begin : g_shift
    assign win_new = {s1_in_q, win_old[WinW-1:EntW]};
  end else begin : g_single
    assign win_new = s1_in_q;
  end

  always_comb begin
    s1_valid_d   = s1_valid_q;
    s1_group_d   = s1_group_q;
    s1_clear_d   = s1_clear_q;
    s1_fwd_d     = s1_fwd_q;
    s1_fwd_win_d = s1_fwd_win_q;
    s1_in_d      = s1_in_q;
    s1_w_d     = s1_w_q;
    s1_ws_d    = s1_ws_q;
    s1_b_d     = s1_b_q;
    s1_bs_d    = s1_bs_q;
    if (s1_ready) begin
      s1_valid_d   = valid_i;
      s1_group_d   = group_i;
      s1_clear_d   = clear_i;
      s1_fwd_d     = s1_adv && (s1_group_q == group_i);
      s1_fwd_win_d = win_new;
      s1_in_d      = {x_i, xs_i};
      s1_w_d     = w_i;
      s1_ws_d    = ws_i;
      s1_b_d     = b_i;
      s1_bs_d    = bs_i;
    end
  end

  always_comb begin
    logic signed [AccWidth-1:0] acc;
    logic signed [AccWidth-1:0] prod;
    // the top bits are dropped: the golden model checks the output fits 32 bits
    /* verilator lint_off UNUSEDSIGNAL */
    logic signed [AccWidth-1:0] y;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [XsW:0]               sh;
    acc       = '0;
    prod      = '0;
    y         = '0;
    sh        = '0;
    y_valid_d = y_valid_q;
    y_d       = y_q;
    if (ready_i) y_valid_d = 1'b0;
    if (y_ready && s1_valid_q) begin
      y_valid_d = 1'b1;
      for (int unsigned c = 0; c < 8; c++) begin
        acc = AccWidth'(signed'(s1_b_q[c*8 +: 8])) <<< s1_bs_q;
        for (int unsigned k = 0; k < Kernel; k++) begin
          prod = AccWidth'(signed'(s1_x[k*EntW + XsW + c*8 +: 8])) * AccWidth'(signed'(s1_w_q[k*64 + c*8 +: 8]));
          sh   = (XsW+1)'(s1_x[k*EntW +: XsW]) + (XsW+1)'(s1_ws_q[k*XsW +: XsW]);
          acc  = acc + (prod <<< sh);
        end
        if (InjectBug != 0) y = (acc + AccWidth'(512)) >>> 10;
        else y = acc >>> 10;
        y_d[c*32 +: 32] = y[31:0];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      y_valid_q  <= 1'b0;
    end else begin
      s1_valid_q <= s1_valid_d;
      y_valid_q  <= y_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    s1_group_q   <= s1_group_d;
    s1_clear_q   <= s1_clear_d;
    s1_fwd_q     <= s1_fwd_d;
    s1_fwd_win_q <= s1_fwd_win_d;
    s1_in_q      <= s1_in_d;
    s1_w_q  <= s1_w_d;
    s1_ws_q <= s1_ws_d;
    s1_b_q  <= s1_b_d;
    s1_bs_q <= s1_bs_d;
    y_q     <= y_d;
  end

  // conv state buffer: read on accept, written back when the beat leaves
  // stage 1; the window port shares the one read and the one write port
  // (one port each, so it still maps to block RAM)
  logic [GW-1:0]   rd_addr, wr_addr;
  logic [WinW-1:0] wr_data;
  assign rd_addr = accept ? group_i : win_addr_i;
  assign wr_addr = s1_adv ? s1_group_q : win_addr_i;
  assign wr_data = s1_adv ? win_new : win_wdata_i;
  always_ff @(posedge clk_i) begin
    if (accept || win_re_i) rd_win_q <= win_mem[rd_addr];
    if (s1_adv || win_we_i) win_mem[wr_addr] <= wr_data;
  end

  assign win_rdata_o = rd_win_q;
  assign data_o      = y_q;
  assign valid_o = y_valid_q;

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && (win_we_i || win_re_i))
      assert (!valid_i && !s1_valid_q) else $error("conv window port used while a beat is in flight");
  end
  sm_hold_check #(.Width(8*32)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  (data_o)
  );
`endif
endmodule
