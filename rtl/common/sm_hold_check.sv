// Simulation-only protocol check of one valid/ready output (STYLE rule 9):
// once valid is raised and not accepted, valid and data hold until accepted.
// Instantiated inside `ifndef SYNTHESIS, so synthesis never sees it. (Written
// out by hand rather than with $stable: Verilator 5.006 miscompiles $stable
// on signals wider than 1024 bits.)
module sm_hold_check #(
  parameter int unsigned Width = 1
) (
  input logic             clk_i,
  input logic             rst_ni,
  input logic             valid_i,
  input logic             ready_i,
  input logic [Width-1:0] data_i
);
`ifndef SYNTHESIS
  logic             hold_q;
  logic [Width-1:0] hold_data_q;
  always_ff @(posedge clk_i) begin
    if (hold_q) assert (valid_i && data_i == hold_data_q) else $error("stream output changed while stalled");
    hold_q      <= rst_ni && valid_i && !ready_i;
    hold_data_q <= data_i;
  end
`endif
endmodule
