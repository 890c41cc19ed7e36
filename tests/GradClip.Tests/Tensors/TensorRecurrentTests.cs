using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorRecurrentTests
{
    [Fact]
    public void An_LSTM_step_matches_its_gate_equations()
    {
        const int batch = 3, hidden = 10;
        Tensor gates = GradCheck.Uniform(1, -3, 3, batch, 4 * hidden);
        Tensor cell = GradCheck.Uniform(2, -1, 1, batch, hidden);

        Tensor next = Tensor.LstmCell(gates, cell);

        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double Gate(int k) => gates[b * 4 * hidden + k * hidden + j];
                double c = Sigmoid(Gate(1)) * cell[b * hidden + j] + Sigmoid(Gate(0)) * Math.Tanh(Gate(2));
                Assert.Equal(Sigmoid(Gate(3)) * Math.Tanh(c), next[b * 2 * hidden + j], 1e-6);
                Assert.Equal(c, next[b * 2 * hidden + hidden + j], 1e-6);
            }
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(16)]
    public void LSTM_step_gradients_match_finite_differences(int hidden)
    {
        Tensor gates = GradCheck.Uniform(3, -2, 2, 2, 4 * hidden);
        Tensor cell = GradCheck.Uniform(4, -1, 1, 2, hidden);

        GradCheck.AssertGradients(() => Tensor.LstmCell(gates, cell), [gates, cell]);
    }

    [Fact]
    public void Refuses_gates_that_are_not_four_times_the_state()
    {
        Assert.Throws<ArgumentException>(() => Tensor.LstmCell(Tensor.Zeros(2, 12), Tensor.Zeros(2, 4)));
    }
}
