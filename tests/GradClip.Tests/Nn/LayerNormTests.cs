using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class LayerNormTests
{
    [Fact]
    public void Output_rows_have_zero_mean_and_unit_variance_at_initialization()
    {
        var norm = new LayerNorm(8);

        Tensor y = norm.Forward(GradCheck.Uniform(1, -3, 5, 4, 8));

        Assert.All(y.Mean(1).ToArray(), m => Assert.Equal(0f, m, 1e-5f));
        Assert.All(y.Var(1, unbiased: false).ToArray(), v => Assert.Equal(1f, v, 1e-3f));
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var norm = new LayerNorm(4);
        GradCheck.Uniform(2, 0.5f, 1.5f, 4).Span.CopyTo(norm.Weight.Span);
        GradCheck.Uniform(3, -1, 1, 4).Span.CopyTo(norm.Bias.Span);
        Tensor x = GradCheck.Uniform(4, -2, 2, 3, 4);

        GradCheck.AssertGradients(() => norm.Forward(x), [x, norm.Weight, norm.Bias]);
    }
}
