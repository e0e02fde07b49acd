// Fast Walsh-Hadamard butterfly of 2^LogPoints points (HTU, SPEC §3):
// y = H_{2^LogPoints} x (Sylvester order, unnormalized), one whole vector
// per beat, one register stage per butterfly stage: latency LogPoints, II 1.
// Arithmetic is Width-bit two's complement; the golden model
// (intops::hadamardInt) checks every stage fits 32 bits, so with Width = 32
// the result is exact.
module sm_fwht #(
  parameter int unsigned LogPoints = 7,
  parameter int unsigned Width     = 32,
  localparam int unsigned Points   = 1 << LogPoints
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic [Points*Width-1:0] data_i,
  input  logic                    valid_i,
  output logic                    ready_o,
  output logic [Points*Width-1:0] data_o,
  output logic                    valid_o,
  input  logic                    ready_i
);
  // stage k holds the vector after butterflies of span 1, 2, ..., 2^k
  logic [Points*Width-1:0] st_data_q [LogPoints];
  logic [Points*Width-1:0] st_data_d [LogPoints];
  logic [LogPoints-1:0]    st_valid_q, st_valid_d;
  logic [LogPoints:0]      st_ready /* verilator split_var */;  // stage k can take a beat

  assign st_ready[LogPoints] = ready_i;
  assign ready_o = st_ready[0];

  for (genvar k = 0; k < LogPoints; k++) begin : g_stage
    localparam int unsigned Span = 1 << k;
    assign st_ready[k] = !st_valid_q[k] || st_ready[k+1];

    always_comb begin
      logic [Points*Width-1:0] in;
      logic [Width-1:0]        a, b;
      a  = '0;
      b  = '0;
      if (k == 0) in = data_i;
      else in = st_data_q[(k == 0) ? 0 : k-1];
      st_valid_d[k] = st_valid_q[k];
      st_data_d[k]  = st_data_q[k];
      if (st_ready[k]) begin
        st_valid_d[k] = (k == 0) ? valid_i : st_valid_q[(k == 0) ? 0 : k-1];
        for (int unsigned i = 0; i < Points; i++) begin
          if ((i & Span) == 0) begin
            a = in[i*Width +: Width];
            b = in[(i+Span)*Width +: Width];
            st_data_d[k][i*Width +: Width]        = a + b;
            st_data_d[k][(i+Span)*Width +: Width] = a - b;
          end
        end
      end
    end

    always_ff @(posedge clk_i) begin
      if (!rst_ni) st_valid_q[k] <= 1'b0;
      else st_valid_q[k] <= st_valid_d[k];
    end
    always_ff @(posedge clk_i) begin
      st_data_q[k] <= st_data_d[k];
    end
  end

  assign data_o  = st_data_q[LogPoints-1];
  assign valid_o = st_valid_q[LogPoints-1];

`ifndef SYNTHESIS
  sm_hold_check #(.Width(Points*Width)) u_hold_check (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_o),
    .ready_i (ready_i),
    .data_i  (data_o)
  );
`endif
endmodule
