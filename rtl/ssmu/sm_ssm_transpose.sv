// Lanes x Lanes transpose buffer of the SSMU (SPEC §3: h is re-quantized
// along N for the C contraction, an 8 x 8 transpose). Rows come in one per
// beat (row r = lanes p of state row n0 + r); after Lanes rows the tile goes
// out one column per beat (column c = the Lanes values of lane c, row 0 in
// the lowest bits). side_i of the tile's last row travels with every column
// of the tile (side_o), with the column index (col_o).
// Two banks (ping-pong): a tile is written while the previous one is read, so
// a continuous row stream gives a continuous column stream (II 1).
// Registers: bank write on accept, registered column output: latency Lanes + 1
// from the first row to the first column, II 1.
module sm_ssm_transpose #(
  parameter int unsigned Lanes     = 8,
  parameter int unsigned Width     = 32,
  parameter int unsigned SideWidth = 1,
  localparam int unsigned IdxW     = sm_pkg::idx_width(Lanes)
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic [Lanes*Width-1:0]   data_i,
  input  logic [SideWidth-1:0]     side_i,
  input  logic                     valid_i,
  output logic                     ready_o,
  output logic [Lanes*Width-1:0]   data_o,
  output logic [IdxW-1:0]          col_o,
  output logic [SideWidth-1:0]     side_o,
  output logic                     valid_o,
  input  logic                     ready_i
);
  localparam logic [IdxW-1:0] Last = IdxW'(Lanes - 1);

  logic [Lanes*Width-1:0] mem_q [2][Lanes];  // [bank][row]
  logic [SideWidth-1:0]   bside_q [2];
  logic [1:0]             full_q, full_d;
  logic                   wsel_q, wsel_d, rsel_q, rsel_d;
  logic [IdxW-1:0]        wrow_q, wrow_d, rcol_q, rcol_d;
  logic                   out_valid_q, out_valid_d;
  logic [Lanes*Width-1:0] out_data_q, out_data_d;
  logic [IdxW-1:0]        out_col_q, out_col_d;
  logic [SideWidth-1:0]   out_side_q, out_side_d;
  logic                   in_fire, out_load;

  assign ready_o  = !full_q[wsel_q];
  assign in_fire  = valid_i && ready_o;
  assign out_load = full_q[rsel_q] && (!out_valid_q || ready_i);

  always_comb begin
    full_d      = full_q;
    wsel_d      = wsel_q;
    rsel_d      = rsel_q;
    wrow_d      = wrow_q;
    rcol_d      = rcol_q;
    out_valid_d = out_valid_q && !ready_i;
    out_data_d  = out_data_q;
    out_col_d   = out_col_q;
    out_side_d  = out_side_q;
    if (in_fire) begin
      wrow_d = wrow_q + 1'b1;
      if (wrow_q == Last) begin
        wrow_d         = '0;
        full_d[wsel_q] = 1'b1;
        wsel_d         = !wsel_q;
      end
    end
    if (out_load) begin
      out_valid_d = 1'b1;
      out_col_d   = rcol_q;
      out_side_d  = bside_q[rsel_q];
      for (int unsigned r = 0; r < Lanes; r++) begin
        out_data_d[r*Width +: Width] = mem_q[rsel_q][r][rcol_q*Width +: Width];
      end
      rcol_d = rcol_q + 1'b1;
      if (rcol_q == Last) begin
        rcol_d         = '0;
        full_d[rsel_q] = 1'b0;
        rsel_d         = !rsel_q;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      full_q      <= '0;
      wsel_q      <= 1'b0;
      rsel_q      <= 1'b0;
      wrow_q      <= '0;
      rcol_q      <= '0;
      out_valid_q <= 1'b0;
    end else begin
      full_q      <= full_d;
      wsel_q      <= wsel_d;
      rsel_q      <= rsel_d;
      wrow_q      <= wrow_d;
      rcol_q      <= rcol_d;
      out_valid_q <= out_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    out_data_q <= out_data_d;
    out_col_q  <= out_col_d;
    out_side_q <= out_side_d;
    if (in_fire) begin
      mem_q[wsel_q][wrow_q] <= data_i;
      if (wrow_q == Last) bside_q[wsel_q] <= side_i;
    end
  end

  assign data_o  = out_data_q;
  assign col_o   = out_col_q;
  assign side_o  = out_side_q;
  assign valid_o = out_valid_q;

`ifndef SYNTHESIS
  sm_hold_check #(.Width(Lanes*Width+IdxW+SideWidth)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  ({side_o, col_o, data_o})
  );
`endif
endmodule
