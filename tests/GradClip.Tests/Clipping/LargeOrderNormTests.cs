using GradClip.Clipping;

namespace GradClip.Tests.Clipping;

/// <summary>
/// Norms of a large order p, whose power sums leave double's range although the norms themselves are ordinary numbers:
/// (1e16)²⁰ = 1e320 overflows and (1e-10)⁵⁰ = 1e-500 underflows. The reference is the closed form a·n^(1/p) for n equal
/// magnitudes a, and max·(Σ(|g|/max)^p)^(1/p) computed by hand otherwise.
/// </summary>
public class LargeOrderNormTests
{
    public static TheoryData<float, double, int> Cases() => new()
    {
        { 1e16f, 20, 3 },
        { 3e37f, 9, 100 },
        { 1e-10f, 50, 4 },
        { 1e-30f, 12, 40 },
        { 5e3f, 100, 1000 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_total_norm_is_the_closed_form_where_the_power_sum_leaves_double(float magnitude, double p, int count)
    {
        // Equal magnitudes, alternating signs, over two tensors: the norm is magnitude · count^(1/p).
        var values = Enumerable.Range(0, count).Select(i => i % 2 == 0 ? magnitude : -magnitude).ToArray();
        var parameters = new[] { Reference.Parameter(values[..(count / 2)], "a"), Reference.Parameter(values[(count / 2)..], "b") };
        double expected = magnitude * Math.Pow(count, 1 / p);

        double total = Clip.TotalNorm(parameters.Select(t => t.Grad), p);
        var report = new ClipByGlobalNorm(double.MaxValue, p).Apply(parameters);

        Assert.Equal(expected, total, expected * 1e-6);
        Assert.Equal(expected, report.NormBefore, expected * 1e-6);
        Assert.Equal(magnitude * Math.Pow(count / 2, 1 / p), report.ParameterNorms["a"], expected * 1e-6);
        Assert.Empty(report.NonFiniteParameters);
    }

    [Fact]
    public void Clip_GradNorm_scales_by_the_true_norm_instead_of_zeroing_everything()
    {
        var parameters = new[] { Reference.Parameter([1e16f, -2e16f, 3e15f], "w") };
        double max = 2e16;
        double expected = max * Math.Pow(Math.Pow(0.5, 20) + 1 + Math.Pow(0.15, 20), 1.0 / 20);

        double norm = Clip.GradNorm(parameters, maxNorm: 1, normType: 20);

        Assert.Equal(expected, norm, expected * 1e-6);
        var clipped = parameters[0].Grad!.ToArray();
        Assert.Equal(1e16 / (expected + 1e-6), clipped[0], 1e-6);
        Assert.Equal(-2e16 / (expected + 1e-6), clipped[1], 1e-6);
        Assert.Equal(1, Clip.TotalNorm([parameters[0].Grad], 20), 1e-5);
    }

    [Fact]
    public void Clipping_each_tensor_by_its_own_norm_combines_large_order_norms_without_overflow()
    {
        var parameters = new[] { Reference.Parameter([1e16f, 1e16f], "a"), Reference.Parameter([1e16f], "b") };

        var report = new ClipEachByNorm(maxNorm: 1e17, normType: 20).Apply(parameters);

        Assert.Equal(1e16 * Math.Pow(3, 1.0 / 20), report.NormBefore, 1e16 * 1e-6);
        Assert.Equal(report.NormBefore, report.NormAfter, 1e16 * 1e-6);
        Assert.False(report.Clipped);
    }

    [Fact]
    public void A_genuinely_infinite_gradient_still_gives_an_infinite_norm()
    {
        var parameters = new[] { Reference.Parameter([float.PositiveInfinity, 1e16f], "w") };

        Assert.Equal(double.PositiveInfinity, Clip.TotalNorm(parameters.Select(t => t.Grad), 20));
        Assert.Equal(["w"], new ClipByGlobalNorm(1, 20).Apply(parameters).NonFiniteParameters);
    }

    [Fact]
    public void A_tensor_of_tiny_gradients_beside_ordinary_ones_keeps_its_own_norm()
    {
        var parameters = new[] { Reference.Parameter([1f, -1f], "ordinary"), Reference.Parameter([1e-10f, 1e-10f, -1e-10f], "tiny") };

        var report = new ClipEachByNorm(maxNorm: 10, normType: 50).Apply(parameters);

        Assert.Equal(Math.Pow(2, 1.0 / 50), report.ParameterNorms["ordinary"], 1e-9);
        Assert.Equal(1e-10 * Math.Pow(3, 1.0 / 50), report.ParameterNorms["tiny"], 1e-16);
        Assert.Equal(Math.Pow(2, 1.0 / 50), report.NormBefore, 1e-9);
    }
}
