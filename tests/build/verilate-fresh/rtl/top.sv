module top (
    input  logic       clk_i,
    input  logic [7:0] a_i,
    output logic [7:0] y_o
);
  logic [7:0] s;
  sub u_sub (.clk_i, .a_i, .y_o(s));
  always_ff @(posedge clk_i) y_o <= a_i + 8'd3 + s;
endmodule
