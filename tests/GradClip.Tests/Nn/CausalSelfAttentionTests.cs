using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class CausalSelfAttentionTests
{
    [Fact]
    public void Gradients_match_finite_differences()
    {
        var attention = new CausalSelfAttention(4, 2, new Random(1));
        Tensor x = GradCheck.Uniform(2, -1, 1, 2, 3, 4);

        GradCheck.AssertGradients(() => attention.Forward(x), [x, .. attention.Parameters()]);
    }

    [Fact]
    public void A_position_does_not_see_later_positions()
    {
        var attention = new CausalSelfAttention(4, 2, new Random(1));
        Tensor x = GradCheck.Uniform(2, -1, 1, 1, 5, 4);
        Tensor changed = x.Clone();
        changed[4 * 4 + 1] += 1f;

        float[] before = attention.Forward(x).ToArray();
        float[] after = attention.Forward(changed).ToArray();

        Assert.Equal(before.AsSpan(0, 16).ToArray(), after.AsSpan(0, 16).ToArray());
        Assert.NotEqual(before.AsSpan(16, 4).ToArray(), after.AsSpan(16, 4).ToArray());
    }

    [Fact]
    public void With_one_position_the_output_is_the_projected_value()
    {
        var attention = new CausalSelfAttention(2, 1, new Random(3));
        Tensor x = GradCheck.Uniform(4, -1, 1, 1, 1, 2);
        Tensor weight = attention.NamedParameters()[0].Parameter;
        Tensor bias = attention.NamedParameters()[1].Parameter;

        Tensor value = Tensor.Linear(x, weight.Narrow(0, 4, 2), bias.Narrow(0, 4, 2));
        Tensor expected = Tensor.Linear(value, attention.NamedParameters()[2].Parameter, attention.NamedParameters()[3].Parameter);

        Assert.Equal(expected.ToArray(), attention.Forward(x).ToArray());
    }

    [Fact]
    public void Heads_must_divide_the_embedding_size()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CausalSelfAttention(6, 4, new Random(1)));
    }
}
