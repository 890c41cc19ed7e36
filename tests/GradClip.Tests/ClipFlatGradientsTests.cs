using GradClip.Autograd;
using GradClip.Clipping;
using GradClip.Tensors;

namespace GradClip.Tests;

/// <summary>Clipping gradients that live in one <see cref="FlatGradients"/> buffer gives what clipping separate tensors gives.</summary>
public class ClipFlatGradientsTests
{
    // One gradient above the size from which the kernels split the work over two threads.
    private static readonly int[] Sizes = [50, 3, 100_000, 7, 1];

    private static float[][] Gradients(int seed) =>
        Sizes.Select((n, i) => Reference.Gaussian(new Random(seed + i), n, 1 + i)).ToArray();

    private static Tensor[] Separate(float[][] gradients) =>
        gradients.Select((g, i) => Reference.Parameter(g, $"p{i}")).ToArray();

    private static Tensor[] Flat(float[][] gradients)
    {
        var parameters = gradients.Select((g, i) => new { Tensor = Tensor.Zeros(g.Length), Name = $"p{i}" })
            .Select(p => { p.Tensor.Name = p.Name; return p.Tensor; }).ToArray();
        _ = new FlatGradients(parameters);
        for (int i = 0; i < parameters.Length; i++)
        {
            gradients[i].CopyTo(parameters[i].Grad!.Span);
        }
        return parameters;
    }

    private static void AssertSameGradients(Tensor[] expected, Tensor[] actual, double tolerance)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            float[] e = expected[i].Grad!.ToArray(), a = actual[i].Grad!.ToArray();
            for (int j = 0; j < e.Length; j++)
            {
                if (float.IsNaN(e[j]))
                {
                    Assert.True(float.IsNaN(a[j]), $"Gradient {i} element {j}: expected NaN, got {a[j]}.");
                }
                else
                {
                    Reference.Close(e[j], a[j], tolerance);
                }
            }
        }
    }

    /// <summary>Clipping <paramref name="parameters"/> (a list, not an array) gives what clipping separate tensors with these gradients gives.</summary>
    private static void AssertClipsAsSeparateTensors(Tensor[] parameters, float[][] gradients, double maxNorm)
    {
        var separate = Separate(gradients);

        double norm = Clip.GradNorm(parameters.ToList(), maxNorm);

        Reference.Close(Clip.GradNorm(separate, maxNorm), norm, 1e-8);
        AssertSameGradients(separate, parameters, 1e-6);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(double.PositiveInfinity)]
    public void GradNorm_returns_the_same_norm_and_scales_the_same_as_on_separate_tensors(double p)
    {
        var gradients = Gradients(seed: 3);
        var separate = Separate(gradients);
        var flat = Flat(gradients);
        double expected = Reference.TotalNorm(gradients, p);

        double separateNorm = Clip.GradNorm(separate, expected / 4, p);
        double flatNorm = Clip.GradNorm(flat, expected / 4, p);

        Reference.Close(expected, flatNorm, 1e-8);
        Reference.Close(separateNorm, flatNorm, 1e-8);
        AssertSameGradients(separate, flat, 1e-6);
        Reference.Close(expected / 4, Reference.TotalNorm(flat.Select(t => t.Grad!.ToArray()), p), 1e-6);
    }

    [Fact]
    public void The_buffers_own_parameter_list_clips_as_the_array_does()
    {
        var gradients = Gradients(seed: 5);
        var asArray = Flat(gradients);
        var asOwnList = Flat(gradients);
        var ownList = asOwnList[0].FlatGradients!.Parameters;
        double expected = Reference.TotalNorm(gradients, 2);

        double arrayNorm = Clip.GradNorm(asArray, expected / 3);
        double listNorm = Clip.GradNorm(ownList, expected / 3);

        Assert.Equal(arrayNorm, listNorm);
        AssertSameGradients(asArray, asOwnList, 0);
    }

    [Fact]
    public void The_infinity_norm_and_clipping_by_value_are_bit_for_bit_those_of_separate_tensors()
    {
        var gradients = Gradients(seed: 5);
        var separate = Separate(gradients);
        var flat = Flat(gradients);

        Assert.Equal(Clip.GradNorm(separate, 0.5, double.PositiveInfinity), Clip.GradNorm(flat, 0.5, double.PositiveInfinity));
        Clip.GradValue(separate, 0.1);
        Clip.GradValue(flat, 0.1);

        Assert.Equal(separate.SelectMany(t => t.Grad!.ToArray()), flat.SelectMany(t => t.Grad!.ToArray()));
    }

    [Fact]
    public void TotalNorm_and_GradsWithNorm_over_flat_gradients_match_separate_tensors()
    {
        var gradients = Gradients(seed: 7);
        var separate = Separate(gradients);
        var flat = Flat(gradients);

        double norm = Clip.TotalNorm(flat.Select(t => t.Grad));
        Reference.Close(Clip.TotalNorm(separate.Select(t => t.Grad)), norm, 1e-8);
        Clip.GradsWithNorm(separate, 1, norm);
        Clip.GradsWithNorm(flat, 1, norm);

        AssertSameGradients(separate, flat, 0);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_non_finite_element_spreads_as_it_does_over_separate_tensors(float bad)
    {
        var gradients = Gradients(seed: 11);
        gradients[3][4] = bad;
        var separate = Separate(gradients);
        var flat = Flat(gradients);

        double separateNorm = Clip.GradNorm(separate, 1);
        double flatNorm = Clip.GradNorm(flat, 1);

        Assert.Equal(separateNorm, flatNorm);
        Assert.False(double.IsFinite(flatNorm));
        AssertSameGradients(separate, flat, 0);
        Assert.True(float.IsNaN(flat[3].Grad![4]));
    }

    [Fact]
    public void Error_if_nonfinite_names_the_first_bad_parameter_and_leaves_the_buffer_untouched()
    {
        var gradients = Gradients(seed: 13);
        gradients[2][77] = float.NegativeInfinity;
        gradients[4][0] = float.NaN;
        var flat = Flat(gradients);
        var before = flat.SelectMany(t => t.Grad!.ToArray()).ToArray();

        var ex = Assert.Throws<NonFiniteGradientException>(() => Clip.GradNorm(flat, 1, errorIfNonfinite: true));

        Assert.Equal(2, ex.ParameterIndex);
        Assert.Equal("p2", ex.ParameterName);
        Assert.Contains("parameter 2 'p2' holds -∞ at element 77", ex.Message);
        Assert.Equal(before, flat.SelectMany(t => t.Grad!.ToArray()));
    }

    [Fact]
    public void A_transform_reports_each_parameters_norm_as_over_separate_tensors()
    {
        var gradients = Gradients(seed: 17);
        var separate = Separate(gradients);
        var flat = Flat(gradients);

        var expected = new ClipByGlobalNorm(1).Apply(separate);
        var actual = new ClipByGlobalNorm(1).Apply(flat);

        Assert.Equal(expected.ParameterNorms, actual.ParameterNorms);
        Assert.Equal(expected.NormBefore, actual.NormBefore);
        Assert.True(actual.Clipped);
        AssertSameGradients(separate, flat, 0);
    }

    [Fact]
    public void Parameters_out_of_buffer_order_or_mixed_with_others_are_clipped_correctly()
    {
        var gradients = Gradients(seed: 19);
        var flat = Flat(gradients);
        var other = Reference.Parameter([30, 40], "other");
        Tensor[] mixed = [flat[3], flat[0], other, flat[1], flat[2], flat[4]];

        AssertClipsAsSeparateTensors(mixed, mixed.Select(t => t.Grad!.ToArray()).ToArray(), maxNorm: 2);
    }

    [Fact]
    public void A_gradient_replaced_by_hand_is_clipped_where_it_now_lives()
    {
        var gradients = Gradients(seed: 23);
        var flat = Flat(gradients);
        var replacement = Reference.Gaussian(new Random(29), Sizes[1], 5);
        flat[1].Grad = Tensor.FromArray((float[])replacement.Clone());
        gradients[1] = replacement;

        AssertClipsAsSeparateTensors(flat, gradients, maxNorm: 1);
    }

    [Fact]
    public void Flattening_parameters_again_moves_their_gradients_to_the_new_buffer()
    {
        var gradients = Gradients(seed: 31);
        var first = Flat(gradients);
        var second = new FlatGradients(first);

        AssertClipsAsSeparateTensors(first, gradients, maxNorm: 1);
        Assert.Equal(first.SelectMany(t => t.Grad!.ToArray()), second.Buffer.ToArray());
    }
}
