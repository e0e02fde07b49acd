module sub (
    input  logic       clk_i,
    input  logic [7:0] a_i,
    output logic [7:0] y_o
);
  logic [7:0] r, q, p, z, w, k, m;
  always_ff @(posedge clk_i) begin
    r <= a_i * 8'd3;
    q <= r + a_i;
    p <= q ^ r;
    z <= p - q;
    w <= z + p;
    k <= w + z;
    m <= k ^ w;
  end
  always_ff @(posedge clk_i) begin
    if (a_i[0]) w <= 0;
    if (a_i[1]) k <= 1;
  end
  assign y_o = r ^ a_i ^ q ^ p ^ z ^ w ^ k ^ m ^ 8'd64;
endmodule
