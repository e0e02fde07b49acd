module sub (
    input  logic       clk_i,
    input  logic [7:0] a_i,
    output logic [7:0] y_o
);
  logic [7:0] r;
  always_ff @(posedge clk_i) r <= a_i * 8'd3;
  assign y_o = r ^ a_i;
endmodule
