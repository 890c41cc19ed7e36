using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class LSTMTests
{
    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [Fact]
    public void One_step_matches_the_gate_formulas_by_hand()
    {
        var lstm = new LSTM(1, 1, new Random(1));
        Tensor[] p = lstm.Parameters().ToArray();
        float[] wi = [0.5f, -0.3f, 0.8f, 0.1f];
        float[] wh = [0.2f, 0.4f, -0.6f, 0.9f];
        float[] bi = [0.1f, 0.2f, 0.3f, 0.4f];
        float[] bh = [-0.1f, 0.05f, 0f, 0.2f];
        wi.CopyTo(p[0].Span);
        wh.CopyTo(p[1].Span);
        bi.CopyTo(p[2].Span);
        bh.CopyTo(p[3].Span);
        float x = 1.5f, h = 0.3f, c = -0.7f;

        (Tensor output, LstmState state) = lstm.Forward(
            Tensor.FromArray([x], 1, 1, 1), new LstmState(Tensor.FromArray([h], 1, 1, 1), Tensor.FromArray([c], 1, 1, 1)));

        float Pre(int k) => wi[k] * x + bi[k] + wh[k] * h + bh[k];
        float i = Sigmoid(Pre(0)), f = Sigmoid(Pre(1)), g = MathF.Tanh(Pre(2)), o = Sigmoid(Pre(3));
        float cell = f * c + i * g;
        float hidden = o * MathF.Tanh(cell);
        Assert.Equal(hidden, output[0], 1e-6f);
        Assert.Equal(hidden, state.Hidden[0], 1e-6f);
        Assert.Equal(cell, state.Cell[0], 1e-6f);
    }

    [Fact]
    public void Shapes_follow_PyTorch()
    {
        var lstm = new LSTM(3, 5, new Random(1), numLayers: 2);

        (Tensor output, LstmState state) = lstm.Forward(Tensor.Zeros(4, 6, 3));

        Assert.Equal([4, 6, 5], output.Shape);
        Assert.Equal([2, 4, 5], state.Hidden.Shape);
        Assert.Equal([2, 4, 5], state.Cell.Shape);
        Assert.Equal([20, 3], lstm.Parameters().First().Shape);
    }

    [Fact]
    public void Gradients_over_several_steps_and_two_layers_match_finite_differences()
    {
        var lstm = new LSTM(2, 3, new Random(2), numLayers: 2);
        Tensor x = GradCheck.Uniform(3, -1, 1, 2, 4, 2);
        Tensor h0 = GradCheck.Uniform(4, -0.5f, 0.5f, 2, 2, 3);
        Tensor c0 = GradCheck.Uniform(5, -0.5f, 0.5f, 2, 2, 3);

        GradCheck.AssertGradients(
            () =>
            {
                (Tensor output, LstmState state) = lstm.Forward(x, new LstmState(h0, c0));
                return Tensor.Cat([output.Reshape(-1), state.Hidden.Reshape(-1), state.Cell.Reshape(-1)], 0);
            },
            [x, h0, c0, .. lstm.Parameters()]);
    }

    [Fact]
    public void An_LSTM_learns_the_sign_of_a_sequence_sum()
    {
        const int batch = 32, time = 8;
        var random = new Random(11);
        Tensor x = Tensor.Uniform(random, -1, 1, batch, time, 1);
        int[] labels = Enumerable.Range(0, batch).Select(b => x.ToArray().AsSpan(b * time, time).ToArray().Sum() > 0 ? 1 : 0).ToArray();
        var lstm = new LSTM(1, 8, new Random(12));
        var head = new Linear(8, 2, new Random(13));
        Tensor[] parameters = [.. lstm.Parameters(), .. head.Parameters()];
        Tensor Logits() => head.Forward(lstm.Forward(x).State.Hidden.Squeeze(0));

        var optimizer = new Sgd(parameters, 1);
        for (int step = 0; step < 300; step++)
        {
            foreach (Tensor p in parameters)
            {
                p.ZeroGrad();
            }
            Tensor.CrossEntropy(Logits(), labels).Backward();
            optimizer.Step();
        }

        Assert.Equal(labels, Logits().ArgMax(1));
        Assert.True(Tensor.CrossEntropy(Logits(), labels).Item() < 0.05f);
    }
}
