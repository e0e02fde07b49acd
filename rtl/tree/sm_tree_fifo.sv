// Tree-verification state FIFO (SPEC §5).
//
// Node-state tiles (TileWords words of Width bits) are pushed in BFS order,
// each with the number of children that node has in the static token tree.
// In BFS order every parent is consumed in the order it was produced, so the
// head tile is read out once per child (a complete copy of TileWords words per
// child, tagged with the child index) and popped after its last child's copy.
// A node with 0 children (a leaf) is accepted and dropped: nothing reads it.
//
// Push side: data_i/nchild_i/valid_i/ready_o; nchild_i is sampled with the
// tile's first word. Read side: data_o + tags, valid_o/ready_i, one word per
// cycle. The RAM has one write and one registered read port (block-RAM
// style); a pushed word can be read two cycles later (cut-through).
// Status: empty_o, full_o (no room for another word), used_o (words held)
// and overflow_o, a sticky error set when a push is attempted while full
// (the tree is wider than the FIFO was sized for; the push waits, nothing
// is lost).
// InjectBug = 1 pops one child copy too early (regression self-check only).
module sm_tree_fifo #(
  parameter int unsigned Width       = 64,
  parameter int unsigned TileWords   = 16,
  parameter int unsigned Depth       = 4,
  parameter int unsigned MaxChildren = 4,
  parameter int unsigned InjectBug   = 0,
  localparam int unsigned ChildW     = sm_pkg::cnt_width(MaxChildren),
  localparam int unsigned Cap        = Depth * TileWords,
  localparam int unsigned UsedW      = sm_pkg::cnt_width(Cap)
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // push side
  input  logic [Width-1:0]  data_i,
  input  logic [ChildW-1:0] nchild_i,
  input  logic              valid_i,
  output logic              ready_o,
  // read side
  output logic [Width-1:0]  data_o,
  output logic [ChildW-1:0] child_o,      // which child this copy is for
  output logic              last_word_o,  // last word of this copy
  output logic              pop_o,        // last word of the last copy: tile leaves
  output logic              valid_o,
  input  logic              ready_i,
  // status
  output logic              empty_o,
  output logic              full_o,
  output logic [UsedW-1:0]  used_o,
  output logic              overflow_o
);
  localparam int unsigned EntryW = sm_pkg::idx_width(Depth);
  localparam int unsigned WordW  = sm_pkg::idx_width(TileWords);
  localparam int unsigned AddrW  = sm_pkg::idx_width(Cap);

  logic [Width-1:0]  mem_q [Cap];
  logic [ChildW-1:0] nchild_q [Depth];

  logic [EntryW-1:0] wr_entry_q, wr_entry_d;
  logic [WordW-1:0]  wr_word_q, wr_word_d;
  logic              wr_drop_q, wr_drop_d;
  logic [UsedW-1:0]  used_q, used_d;
  logic [EntryW-1:0] rd_entry_q, rd_entry_d;
  logic [WordW-1:0]  rd_word_q, rd_word_d;
  logic [ChildW-1:0] rd_child_q, rd_child_d;
  logic              overflow_q, overflow_d;

  logic              out_valid_q, out_valid_d;
  logic [Width-1:0]  out_data_q;
  logic [ChildW-1:0] out_child_q, out_child_d;
  logic              out_last_q, out_last_d;
  logic              out_pop_q, out_pop_d;

  logic              full, push, drop_now, mem_we, fetch, pop;
  logic [AddrW-1:0]  waddr, raddr;
  logic [ChildW-1:0] head_nchild;

  assign full    = (used_q == UsedW'(Cap));
  assign ready_o = !full;
  assign push    = valid_i && !full;
  // A tile is dropped when its first word says it has no children.
  assign drop_now    = (wr_word_q == '0) ? (nchild_i == '0) : wr_drop_q;
  assign mem_we      = push && !drop_now;
  assign waddr       = AddrW'(wr_entry_q) * AddrW'(TileWords) + AddrW'(wr_word_q);
  assign raddr       = AddrW'(rd_entry_q) * AddrW'(TileWords) + AddrW'(rd_word_q);
  assign head_nchild = nchild_q[rd_entry_q];
  // The word at the read pointer exists once used_q covers it.
  assign fetch = (UsedW'(rd_word_q) < used_q) && (!out_valid_q || ready_i);

  always_comb begin
    logic last_word, last_child;
    wr_entry_d  = wr_entry_q;
    wr_word_d   = wr_word_q;
    wr_drop_d   = wr_drop_q;
    rd_entry_d  = rd_entry_q;
    rd_word_d   = rd_word_q;
    rd_child_d  = rd_child_q;
    overflow_d  = overflow_q | (valid_i && full);
    out_valid_d = out_valid_q;
    out_child_d = out_child_q;
    out_last_d  = out_last_q;
    out_pop_d   = out_pop_q;
    last_word   = (rd_word_q == WordW'(TileWords - 1));
    if (InjectBug != 0) last_child = ((ChildW+1)'(rd_child_q) + (ChildW+1)'(2) >= (ChildW+1)'(head_nchild));
    else last_child = (rd_child_q + 1'b1 == head_nchild);
    pop = fetch && last_word && last_child;

    // push side: advance through the tile, then to the next entry
    if (push) begin
      if (wr_word_q == '0) wr_drop_d = (nchild_i == '0);
      if (wr_word_q == WordW'(TileWords - 1)) begin
        wr_word_d = '0;
        if (!drop_now) wr_entry_d = (wr_entry_q == EntryW'(Depth - 1)) ? '0 : wr_entry_q + 1'b1;
      end else begin
        wr_word_d = wr_word_q + 1'b1;
      end
    end

    // read side: one copy per child, then pop
    if (ready_i) out_valid_d = 1'b0;
    if (fetch) begin
      out_valid_d = 1'b1;
      out_child_d = rd_child_q;
      out_last_d  = last_word;
      out_pop_d   = pop;
      if (last_word) begin
        rd_word_d = '0;
        if (pop) begin
          rd_child_d = '0;
          rd_entry_d = (rd_entry_q == EntryW'(Depth - 1)) ? '0 : rd_entry_q + 1'b1;
        end else begin
          rd_child_d = rd_child_q + 1'b1;
        end
      end else begin
        rd_word_d = rd_word_q + 1'b1;
      end
    end

    used_d = used_q + UsedW'(mem_we) - (pop ? UsedW'(TileWords) : '0);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wr_entry_q  <= '0;
      wr_word_q   <= '0;
      wr_drop_q   <= 1'b0;
      used_q      <= '0;
      rd_entry_q  <= '0;
      rd_word_q   <= '0;
      rd_child_q  <= '0;
      overflow_q  <= 1'b0;
      out_valid_q <= 1'b0;
      out_child_q <= '0;
      out_last_q  <= 1'b0;
      out_pop_q   <= 1'b0;
    end else begin
      wr_entry_q  <= wr_entry_d;
      wr_word_q   <= wr_word_d;
      wr_drop_q   <= wr_drop_d;
      used_q      <= used_d;
      rd_entry_q  <= rd_entry_d;
      rd_word_q   <= rd_word_d;
      rd_child_q  <= rd_child_d;
      overflow_q  <= overflow_d;
      out_valid_q <= out_valid_d;
      out_child_q <= out_child_d;
      out_last_q  <= out_last_d;
      out_pop_q   <= out_pop_d;
    end
  end

  // Storage: one write port, one registered read port.
  always_ff @(posedge clk_i) begin
    if (mem_we) mem_q[waddr] <= data_i;
    if (mem_we && wr_word_q == '0) nchild_q[wr_entry_q] <= nchild_i;
    if (fetch) out_data_q <= mem_q[raddr];
  end

  assign data_o      = out_data_q;
  assign child_o     = out_child_q;
  assign last_word_o = out_last_q;
  assign pop_o       = out_pop_q;
  assign valid_o     = out_valid_q;
  assign empty_o     = (used_q == '0);
  assign full_o      = full;
  assign used_o      = used_q;
  assign overflow_o  = overflow_q;

`ifndef SYNTHESIS
  sm_hold_check #(.Width(Width+ChildW+2)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  ({data_o, child_o, last_word_o, pop_o})
  );
  a_nchild: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (valid_i && wr_word_q == '0) |-> (nchild_i <= ChildW'(MaxChildren)));
`endif
endmodule
