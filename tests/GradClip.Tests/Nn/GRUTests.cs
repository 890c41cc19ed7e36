using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class GRUTests
{
    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [Fact]
    public void One_step_matches_the_gate_formulas_by_hand()
    {
        var gru = new GRU(1, 1, new Random(1));
        Tensor[] p = gru.Parameters().ToArray();
        float[] wi = [0.5f, -0.3f, 0.8f];
        float[] wh = [0.2f, 0.4f, -0.6f];
        float[] bi = [0.1f, 0.2f, 0.3f];
        float[] bh = [-0.1f, 0.05f, 0.25f];
        wi.CopyTo(p[0].Span);
        wh.CopyTo(p[1].Span);
        bi.CopyTo(p[2].Span);
        bh.CopyTo(p[3].Span);
        float x = 1.5f, h = 0.3f;

        (Tensor output, Tensor state) = gru.Forward(Tensor.FromArray([x], 1, 1, 1), Tensor.FromArray([h], 1, 1, 1));

        float r = Sigmoid(wi[0] * x + bi[0] + wh[0] * h + bh[0]);
        float z = Sigmoid(wi[1] * x + bi[1] + wh[1] * h + bh[1]);
        float n = MathF.Tanh(wi[2] * x + bi[2] + r * (wh[2] * h + bh[2]));
        float expected = (1 - z) * n + z * h;
        Assert.Equal(expected, output[0], 1e-6f);
        Assert.Equal(expected, state[0], 1e-6f);
    }

    [Fact]
    public void Gradients_over_several_steps_and_two_layers_match_finite_differences()
    {
        var gru = new GRU(2, 3, new Random(2), numLayers: 2);
        Tensor x = GradCheck.Uniform(3, -1, 1, 2, 4, 2);
        Tensor h0 = GradCheck.Uniform(4, -0.5f, 0.5f, 2, 2, 3);

        GradCheck.AssertGradients(
            () =>
            {
                (Tensor output, Tensor state) = gru.Forward(x, h0);
                return Tensor.Cat([output.Reshape(-1), state.Reshape(-1)], 0);
            },
            [x, h0, .. gru.Parameters()]);
    }

    [Fact]
    public void Shapes_follow_PyTorch()
    {
        var gru = new GRU(3, 5, new Random(1), numLayers: 2);

        (Tensor output, Tensor state) = gru.Forward(Tensor.Zeros(4, 6, 3));

        Assert.Equal([4, 6, 5], output.Shape);
        Assert.Equal([2, 4, 5], state.Shape);
        Assert.Equal([15, 3], gru.Parameters().First().Shape);
    }
}
