using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class RNNTests
{
    [Fact]
    public void Shapes_and_parameter_names_follow_PyTorch()
    {
        var rnn = new RNN(3, 5, new Random(1), numLayers: 2);

        (Tensor output, Tensor state) = rnn.Forward(Tensor.Zeros(4, 6, 3));

        Assert.Equal([4, 6, 5], output.Shape);
        Assert.Equal([2, 4, 5], state.Shape);
        Assert.Equal(
            ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"],
            rnn.NamedParameters().Select(p => p.Name));
        Assert.Equal([5, 3], rnn.NamedParameters()[0].Parameter.Shape);
        Assert.Equal([5, 5], rnn.NamedParameters()[4].Parameter.Shape);
        Assert.Equal(output.Narrow(1, 5, 1).ToArray(), state.Narrow(0, 1, 1).ToArray());
    }

    [Fact]
    public void One_step_matches_the_formula_by_hand()
    {
        var rnn = new RNN(1, 1, new Random(1));
        Tensor[] p = rnn.Parameters().ToArray();
        p[0][0] = 0.5f;
        p[1][0] = -2f;
        p[2][0] = 0.1f;
        p[3][0] = 0.2f;

        (Tensor output, _) = rnn.Forward(Tensor.FromArray([3f], 1, 1, 1), Tensor.FromArray([0.25f], 1, 1, 1));

        Assert.Equal(MathF.Tanh(0.5f * 3 + 0.1f - 2f * 0.25f + 0.2f), output[0], 1e-6f);
    }

    [Fact]
    public void Gradients_over_several_steps_and_two_layers_match_finite_differences()
    {
        var rnn = new RNN(2, 3, new Random(2), numLayers: 2);
        Tensor x = GradCheck.Uniform(3, -1, 1, 2, 4, 2);
        Tensor h0 = GradCheck.Uniform(4, -0.5f, 0.5f, 2, 2, 3);

        GradCheck.AssertGradients(
            () =>
            {
                (Tensor output, Tensor state) = rnn.Forward(x, h0);
                return Tensor.Cat([output.Reshape(-1), state.Reshape(-1)], 0);
            },
            [x, h0, .. rnn.Parameters()]);
    }

    [Fact]
    public void A_wrong_input_size_names_the_shape()
    {
        var rnn = new RNN(3, 5, new Random(1));

        var ex = Assert.Throws<ArgumentException>(() => rnn.Forward(Tensor.Zeros(2, 4, 2)));

        Assert.Contains("[2, 4, 2]", ex.Message);
    }

    [Theory]
    [InlineData(1f, false)]
    [InlineData(3f, true)]
    public void Large_recurrent_weights_over_200_steps_make_gradients_explode(float gain, bool explodes)
    {
        const int batch = 8, time = 200, hidden = 32;
        var rnn = new RNN(4, hidden, new Random(1));
        Tensor recurrent = rnn.NamedParameters()[1].Parameter;
        Tensor.Randn(new Random(2), hidden, hidden).Mul(gain / MathF.Sqrt(hidden)).Span.CopyTo(recurrent.Span);
        Tensor x = Tensor.Randn(new Random(3), batch, time, 4);

        Tensor.MseLoss(rnn.Forward(x).Output, Tensor.Zeros(batch, time, hidden)).Backward();

        double norm = Math.Sqrt(rnn.Parameters().Sum(p => p.Grad!.ToArray().Sum(v => (double)v * v)));
        Assert.Equal(explodes, !(norm < 1e6));
        Assert.True(explodes || norm < 10, $"gradient norm {norm}");
    }
}
