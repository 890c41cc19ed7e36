using GradClip.Clipping;
using GradClip.Tensors;

namespace GradClip.Tests;

public class ClipTests
{
    private static float[] GradOf(Tensor p) => p.Grad!.ToArray();

    [Fact]
    public void Clips_the_seed_example_to_max_norm_and_returns_the_norm_before()
    {
        var p = Reference.Parameter([3, 4, 12]);

        double norm = Clip.GradNorm([p], maxNorm: 5);

        Assert.Equal(13, norm, 12);
        double scale = 5 / (13 + 1e-6);
        Assert.Equal(3 * scale, GradOf(p)[0], 5);
        Assert.Equal(4 * scale, GradOf(p)[1], 5);
        Assert.Equal(12 * scale, GradOf(p)[2], 5);
        Assert.Equal(1.15, GradOf(p)[0], 2);
        Assert.Equal(1.54, GradOf(p)[1], 2);
        Assert.Equal(4.62, GradOf(p)[2], 2);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(double.PositiveInfinity)]
    public void Total_norm_is_the_p_norm_of_the_per_tensor_norms(double p)
    {
        var random = new Random(7);
        var grads = new[] { Reference.Gaussian(random, 50), Reference.Gaussian(random, 3, 10), Reference.Gaussian(random, 200, 0.1) };
        var parameters = grads.Select(g => Reference.Parameter(g)).ToArray();
        double expected = Reference.TotalNorm(grads, p);

        double before = Clip.GradNorm(parameters, maxNorm: expected / 4, normType: p);

        Reference.Close(expected, before, 1e-6);
        double coefficient = expected / 4 / (expected + 1e-6);
        for (int t = 0; t < grads.Length; t++)
        {
            var clipped = GradOf(parameters[t]);
            for (int i = 0; i < clipped.Length; i++)
            {
                Assert.Equal((float)(grads[t][i] * (float)coefficient), clipped[i]);
            }
        }
        Reference.Close(expected / 4, Reference.TotalNorm(parameters.Select(GradOf), p), 1e-5);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(double.PositiveInfinity)]
    public void TotalNorm_matches_the_reference_and_skips_null_entries(double p)
    {
        var random = new Random(3);
        var a = Reference.Gaussian(random, 33);
        var b = Reference.Gaussian(random, 257, 5);

        double norm = Clip.TotalNorm([Tensor.FromArray(a), null, Tensor.FromArray(b)], p);

        Reference.Close(Reference.TotalNorm([a, b], p), norm, 1e-6);
    }

    [Fact]
    public void Gradients_below_max_norm_are_left_bit_for_bit()
    {
        var grad = new float[] { 0.1f, -0.2f, 0.3f };
        var p = Reference.Parameter(grad);

        double norm = Clip.GradNorm([p], maxNorm: 1);

        Reference.Close(Reference.Norm(grad, 2), norm, 1e-9);
        Assert.Equal(grad, GradOf(p));
    }

    [Fact]
    public void A_norm_exactly_at_max_norm_is_scaled_by_the_epsilon_as_in_PyTorch()
    {
        var p = Reference.Parameter([3, 4]);

        Clip.GradNorm([p], maxNorm: 5);

        float coefficient = (float)(5 / (5 + 1e-6));
        Assert.True(coefficient < 1f);
        Assert.Equal([3 * coefficient, 4 * coefficient], GradOf(p));
    }

    [Fact]
    public void Zero_gradients_stay_zero_and_give_norm_zero()
    {
        var p = Reference.Parameter(new float[10]);

        Assert.Equal(0, Clip.GradNorm([p], maxNorm: 1));
        Assert.All(GradOf(p), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Parameters_without_gradients_are_skipped_and_no_gradients_give_zero()
    {
        var withGrad = Reference.Parameter([30, 40]);
        var without = Tensor.Zeros(5);

        Assert.Equal(0, Clip.GradNorm([], maxNorm: 1));
        Assert.Equal(0, Clip.GradNorm([without], maxNorm: 1));
        Assert.Equal(50, Clip.GradNorm([without, withGrad], maxNorm: 1), 12);
        Assert.Null(without.Grad);
        Assert.Equal(0, Clip.TotalNorm([]));
        Assert.Equal(0, Clip.TotalNorm([null, null]));
    }

    [Fact]
    public void A_NaN_gradient_makes_every_gradient_NaN_as_in_PyTorch()
    {
        var a = Reference.Parameter([1, float.NaN]);
        var b = Reference.Parameter([2, 3]);

        double norm = Clip.GradNorm([a, b], maxNorm: 1);

        Assert.True(double.IsNaN(norm));
        Assert.All(GradOf(a).Concat(GradOf(b)), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void An_infinite_gradient_zeroes_finite_entries_and_turns_infinite_ones_NaN_as_in_PyTorch()
    {
        var a = Reference.Parameter([1, float.PositiveInfinity, float.NegativeInfinity]);
        var b = Reference.Parameter([2, -3]);

        double norm = Clip.GradNorm([a, b], maxNorm: 1);

        Assert.Equal(double.PositiveInfinity, norm);
        var ga = GradOf(a);
        Assert.Equal(0f, ga[0]);
        Assert.True(float.IsNaN(ga[1]) && float.IsNaN(ga[2]));
        Assert.Equal([0f, -0f], GradOf(b));
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+∞")]
    [InlineData(float.NegativeInfinity, "-∞")]
    public void Error_if_nonfinite_throws_before_touching_anything_and_names_the_parameter(float bad, string shown)
    {
        var a = Reference.Parameter([5, 6], "encoder.weight");
        var b = Reference.Parameter([1, 2, bad], "decoder.bias");
        var before = GradOf(a).Concat(GradOf(b)).ToArray();

        var ex = Assert.Throws<NonFiniteGradientException>(() => Clip.GradNorm([a, b], 1, errorIfNonfinite: true));

        Assert.Equal(before, GradOf(a).Concat(GradOf(b)).ToArray());
        Assert.Equal(1, ex.ParameterIndex);
        Assert.Equal("decoder.bias", ex.ParameterName);
        Assert.Equal(2, ex.NormType);
        Assert.Contains("order 2", ex.Message);
        Assert.Contains("parameter 1 'decoder.bias'", ex.Message);
        Assert.Contains($"holds {shown} at element 2", ex.Message);
        Assert.Contains("errorIfNonfinite: false", ex.Message);
    }

    [Fact]
    public void Error_if_nonfinite_counts_parameters_without_gradients_in_the_index()
    {
        var noGrad = Tensor.Zeros(3);
        var bad = Reference.Parameter([float.NaN]);

        var ex = Assert.Throws<NonFiniteGradientException>(() => Clip.GradNorm([noGrad, bad], 1, double.PositiveInfinity, true));

        Assert.Equal(1, ex.ParameterIndex);
        Assert.Null(ex.ParameterName);
        Assert.Contains("order inf", ex.Message);
        Assert.Contains("parameter 1 holds NaN", ex.Message);
    }

    [Fact]
    public void Float32_gradients_near_1e20_give_the_true_finite_norm_instead_of_overflowing()
    {
        // In float32, 1e20² = 1e40 overflows to ∞: PyTorch returns ∞ here and zeroes every gradient.
        var p = Reference.Parameter([1e20f, 1e20f, -1e20f, 1e20f]);

        double norm = Clip.GradNorm([p], maxNorm: 1, errorIfNonfinite: true);

        Reference.Close(2e20, norm, 1e-7);
        Assert.Equal([0.5f, 0.5f, -0.5f, 0.5f], GradOf(p).Select(v => (float)Math.Round(v, 6)).ToArray());
    }

    [Fact]
    public void A_norm_far_beyond_float_range_still_clips_to_max_norm_instead_of_flushing_to_zero()
    {
        // L1 norm 1e6 × 1e38 = 1e44: the coefficient 1e-44 is below float32's normal range.
        var grad = Enumerable.Repeat(1e38f, 1_000_000).ToArray();
        var p = Reference.Parameter(grad);

        double norm = Clip.GradNorm([p], maxNorm: 1, normType: 1);

        Reference.Close(1e44, norm, 1e-6);
        Reference.Close(1, Reference.Norm(p.Grad!.ToArray(), 1), 1e-4);
    }

    [Fact]
    public void Clipping_preserves_the_direction_and_clipping_twice_changes_nothing_for_many_thresholds()
    {
        var random = new Random(11);
        var original = new[] { Reference.Gaussian(random, 40, 3), Reference.Gaussian(random, 7, 30) };
        for (int i = 1; i <= 50; i++)
        {
            double maxNorm = 1.0 / i;
            var parameters = original.Select(g => Reference.Parameter(g)).ToArray();

            Clip.GradNorm(parameters, maxNorm);
            var once = parameters.Select(GradOf).ToArray();
            Clip.GradNorm(parameters, maxNorm);
            var twice = parameters.Select(GradOf).ToArray();

            Reference.Close(maxNorm, Reference.TotalNorm(once, 2), 1e-5);
            var flatOriginal = original.SelectMany(g => g).ToArray();
            var flatOnce = once.SelectMany(g => g).ToArray();
            Reference.Close(1, Cosine(flatOriginal, flatOnce), 1e-6);
            for (int k = 0; k < flatOnce.Length; k++)
            {
                Reference.Close(flatOnce[k], twice.SelectMany(g => g).ElementAt(k), 1e-5);
            }
        }
    }

    [Fact]
    public void TotalNorm_then_GradsWithNorm_across_shards_equals_GradNorm_on_the_whole()
    {
        var random = new Random(5);
        var grads = Enumerable.Range(0, 6).Select(i => Reference.Gaussian(random, 10 + i, 2)).ToArray();
        var whole = grads.Select(g => Reference.Parameter(g)).ToArray();
        var shardA = grads.Take(3).Select(g => Reference.Parameter(g)).ToArray();
        var shardB = grads.Skip(3).Select(g => Reference.Parameter(g)).ToArray();

        double expected = Clip.GradNorm(whole, maxNorm: 1);
        double a = Clip.TotalNorm(shardA.Select(p => p.Grad));
        double b = Clip.TotalNorm(shardB.Select(p => p.Grad));
        double reduced = Math.Sqrt(a * a + b * b);
        Clip.GradsWithNorm(shardA, 1, reduced);
        Clip.GradsWithNorm(shardB, 1, reduced);

        Reference.Close(expected, reduced, 1e-12);
        Assert.Equal(whole.SelectMany(GradOf), shardA.Concat(shardB).SelectMany(GradOf));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Invalid_max_norm_is_rejected_by_name_and_value_leaving_gradients_untouched(double maxNorm)
    {
        var p = Reference.Parameter([3, 4]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Clip.GradNorm([p], maxNorm));

        Assert.Equal("maxNorm", ex.ParamName);
        Assert.Contains(ClipValueText(maxNorm), ex.Message);
        Assert.Equal([3f, 4f], GradOf(p));
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => Clip.GradsWithNorm([p], maxNorm, 5)).ParamName);
        Assert.Equal("clipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => Clip.ByGlobalNorm([p.Grad], maxNorm)).ParamName);
        Assert.Equal("clipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => Clip.ByNorm(p.Grad!, maxNorm)).ParamName);
        Assert.Equal("clipValue", Assert.Throws<ArgumentOutOfRangeException>(() => Clip.GradValue([p], maxNorm)).ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Invalid_norm_type_is_rejected_by_name_and_value(double normType)
    {
        var p = Reference.Parameter([3, 4]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Clip.GradNorm([p], 1, normType));

        Assert.Equal("normType", ex.ParamName);
        Assert.Contains(ClipValueText(normType), ex.Message);
        Assert.Equal("normType", Assert.Throws<ArgumentOutOfRangeException>(() => Clip.TotalNorm([p.Grad], normType)).ParamName);
    }

    [Fact]
    public void A_negative_total_norm_is_rejected_instead_of_flipping_gradient_signs()
    {
        var p = Reference.Parameter([3, 4]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Clip.GradsWithNorm([p], 1, -5));

        Assert.Equal("totalNorm", ex.ParamName);
        Assert.Equal([3f, 4f], GradOf(p));
    }

    [Fact]
    public void GradValue_clamps_every_element_and_keeps_NaN()
    {
        var a = Reference.Parameter([-5, -0.5f, 0.25f, 3, float.PositiveInfinity, float.NegativeInfinity, float.NaN]);
        var noGrad = Tensor.Zeros(2);

        Clip.GradValue([a, noGrad], 1);

        var g = GradOf(a);
        Assert.Equal([-1f, -0.5f, 0.25f, 1, 1, -1], g.Take(6));
        Assert.True(float.IsNaN(g[6]));
        Assert.Null(noGrad.Grad);
    }

    [Fact]
    public void ByGlobalNorm_scales_copies_with_TensorFlows_formula_and_keeps_nulls()
    {
        var a = Tensor.FromArray([3, 4]);
        var b = Tensor.FromArray([12], 1);

        var (clipped, norm) = Clip.ByGlobalNorm([a, null, b], clipNorm: 5);

        Assert.Equal(13, norm, 12);
        Assert.Null(clipped[1]);
        float scale = (float)(5 * Math.Min(1 / 13.0, 1 / 5.0));
        Assert.Equal([3 * scale, 4 * scale], clipped[0]!.ToArray());
        Assert.Equal([12 * scale], clipped[2]!.ToArray());
        Assert.Equal([1], clipped[2]!.Shape);
        Assert.Equal([3f, 4f], a.ToArray());
        Assert.NotSame(a, clipped[0]);
    }

    [Fact]
    public void TensorFlow_leaves_a_norm_exactly_at_the_limit_unscaled_where_PyTorch_applies_its_epsilon()
    {
        var (tf, _) = Clip.ByGlobalNorm([Tensor.FromArray([3, 4])], clipNorm: 5);
        var torch = Reference.Parameter([3, 4]);
        Clip.GradNorm([torch], maxNorm: 5);

        Assert.Equal([3f, 4f], tf[0]!.ToArray());
        Assert.NotEqual([3f, 4f], GradOf(torch));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ByGlobalNorm_turns_every_output_NaN_when_the_norm_is_not_finite(float bad)
    {
        var (clipped, norm) = Clip.ByGlobalNorm([Tensor.FromArray([1, bad]), Tensor.FromArray([2, 3])], clipNorm: 1);

        Assert.False(double.IsFinite(norm));
        Assert.All(clipped.SelectMany(t => t!.ToArray()), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void ByGlobalNorm_uses_the_given_norm_and_returns_it()
    {
        var (clipped, norm) = Clip.ByGlobalNorm([Tensor.FromArray([3, 4])], clipNorm: 1, useNorm: 10);

        Assert.Equal(10, norm);
        Assert.Equal([0.3f, 0.4f], clipped[0]!.ToArray());
    }

    [Fact]
    public void ByGlobalNorm_leaves_zero_tensors_unchanged()
    {
        var (clipped, norm) = Clip.ByGlobalNorm([Tensor.Zeros(3)], clipNorm: 1);

        Assert.Equal(0, norm);
        Assert.Equal(new float[3], clipped[0]!.ToArray());
    }

    [Fact]
    public void ByNorm_clips_one_tensor_by_its_own_L2_norm()
    {
        var t = Tensor.FromArray([3, 4, 0, 0], 2, 2);

        var clipped = Clip.ByNorm(t, 1);
        var untouched = Clip.ByNorm(t, 10);

        Assert.Equal([0.6f, 0.8f, 0, 0], clipped.ToArray());
        Assert.Equal([2, 2], clipped.Shape);
        Assert.Equal(t.ToArray(), untouched.ToArray());
        Assert.NotSame(t, untouched);
        Assert.True(float.IsNaN(Clip.ByNorm(Tensor.FromArray([1, float.NaN]), 1)[0]));
    }

    [Fact]
    public void ByValue_clamps_a_copy_to_the_range_and_rejects_an_empty_range()
    {
        var t = Tensor.FromArray([-3, 0.5f, 7, float.NaN]);

        var clipped = Clip.ByValue(t, -1, 2);

        Assert.Equal([-1f, 0.5f, 2], clipped.ToArray().Take(3));
        Assert.True(float.IsNaN(clipped[3]));
        Assert.Equal(-3f, t[0]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Clip.ByValue(t, 2, 1));
        Assert.Contains("min was 2 and max 1", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Clip.ByValue(t, double.NaN, 1));
    }

    [Fact]
    public void GlobalNorm_is_the_L2_norm_of_everything_and_skips_nulls()
    {
        Assert.Equal(13, Clip.GlobalNorm([Tensor.FromArray([3, 4]), null, Tensor.FromArray([12])]), 12);
        Assert.Equal(0, Clip.GlobalNorm([]));
    }

    [Fact]
    public void Clipping_an_array_wrapped_as_a_tensor_changes_the_array()
    {
        var gradient = new float[] { 6, 8 };
        var p = Tensor.Zeros(2);
        p.Grad = Tensor.FromArray(gradient);

        Clip.GradNorm([p], 5);

        Assert.Equal(3, gradient[0], 4);
        Assert.Equal(4, gradient[1], 4);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    private static string ClipValueText(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
