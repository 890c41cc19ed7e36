using GradClip.Kernels;
using static GradClip.Tests.Kernels.KernelReference;

namespace GradClip.Tests.Kernels;

public class ReductionsTests
{
    private const int MaxShortLength = 256;

    // Within a block, each float lane adds at most a few hundred terms: the sum of n ≤ 256 positive terms is within
    // n · 2^-24 of the truth. Long sums are checked against their own, tighter bound below.
    private const double ShortSumTolerance = 1e-6;

    private static readonly float[] NonFiniteValues = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];

    public static TheoryData<double> Powers => PowerData;

    [Theory]
    [MemberData(nameof(Powers))]
    public void PowerSum_matches_the_double_reference_for_every_length_to_256(double p)
    {
        var data = Values(MaxShortLength, seed: 1);
        for (int length = 0; length <= MaxShortLength; length++)
        {
            var x = data.AsSpan(0, length);
            double tolerance = p is 1 or 2 ? ShortSumTolerance : 1e-12;
            Close(PowerSum(x, p), Reductions.PowerSum(x, p), tolerance, $"length {length}");
        }
    }

    [Fact]
    public void Named_reductions_agree_with_PowerSum_for_every_length_to_256()
    {
        var data = Values(MaxShortLength, seed: 2);
        for (int length = 0; length <= MaxShortLength; length++)
        {
            var x = data.AsSpan(0, length);
            Assert.Equal(Reductions.PowerSum(x, 1), Reductions.SumAbs(x));
            Assert.Equal(Reductions.PowerSum(x, 2), Reductions.SumSquares(x));
            Assert.Equal(Reductions.PowerSum(x, 3), Reductions.SumAbsPow(x, 3));
            Assert.Equal(Reductions.PowerSum(x, double.PositiveInfinity), Reductions.MaxAbs(x));
            Assert.Equal((float)PowerSum(x, double.PositiveInfinity), Reductions.MaxAbs(x));
        }
    }

    [Fact]
    public void Empty_span_gives_zero_and_no_index()
    {
        foreach (double p in KernelReference.Powers)
        {
            Assert.Equal(0, Reductions.PowerSum([], p));
        }
        Assert.Equal(-1, Reductions.IndexOfNonFinite([]));
    }

    [Theory]
    [MemberData(nameof(Powers))]
    public void Any_NaN_gives_NaN_and_infinity_without_NaN_gives_infinity_at_every_position(double p)
    {
        var data = Values(MaxShortLength, seed: 3);
        foreach (float bad in NonFiniteValues)
        {
            double expected = float.IsNaN(bad) ? double.NaN : double.PositiveInfinity;
            for (int length = 1; length <= MaxShortLength; length++)
            {
                var x = data.AsSpan(0, length).ToArray();
                for (int position = 0; position < length; position++)
                {
                    float saved = x[position];
                    x[position] = bad;
                    Assert.True(expected.Equals(Reductions.PowerSum(x, p)), $"{bad} at {position} of {length}, p = {p}");
                    x[position] = saved;
                }
            }
        }
    }

    [Fact]
    public void MaxAbs_is_NaN_with_NaN_anywhere_and_infinity_with_infinity()
    {
        var data = Values(MaxShortLength, seed: 4);
        for (int length = 1; length <= MaxShortLength; length++)
        {
            var x = data.AsSpan(0, length).ToArray();
            for (int position = 0; position < length; position++)
            {
                float saved = x[position];
                x[position] = float.NegativeInfinity;
                Assert.Equal(float.PositiveInfinity, Reductions.MaxAbs(x));
                x[position] = float.NaN;
                Assert.True(float.IsNaN(Reductions.MaxAbs(x)));
                x[length - 1 - position] = float.PositiveInfinity; // NaN outranks ∞ wherever each is
                Assert.True(float.IsNaN(Reductions.MaxAbs(x)) || length - 1 - position == position);
                x[position] = saved;
                x[length - 1 - position] = data[length - 1 - position];
            }
        }
    }

    [Fact]
    public void IndexOfNonFinite_finds_the_first_NaN_or_infinity_at_every_position()
    {
        var data = Values(MaxShortLength, seed: 5);
        for (int length = 0; length <= MaxShortLength; length++)
        {
            var x = data.AsSpan(0, length).ToArray();
            Assert.Equal(-1, Reductions.IndexOfNonFinite(x));
            for (int position = 0; position < length; position++)
            {
                float saved = x[position];
                x[position] = NonFiniteValues[position % 3];
                Assert.Equal(position, Reductions.IndexOfNonFinite(x));
                x[length - 1] = float.NaN; // a later one does not matter
                Assert.Equal(position, Reductions.IndexOfNonFinite(x));
                x[length - 1] = data[length - 1];
                x[position] = saved;
            }
            float max = float.MaxValue;
            Assert.Equal(-1, Reductions.IndexOfNonFinite(Enumerable.Repeat(max, length).ToArray()));
        }
    }

    // Blocks are 2 K, 4 K or 8 K elements long (128-, 256-, 512-bit vectors): lengths on and next to their boundaries.
    [Theory]
    [InlineData(2047)]
    [InlineData(2049)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(8191)]
    [InlineData(8192)]
    [InlineData(8193)]
    [InlineData(3 * 8192 + 77)]
    public void Non_finite_values_in_any_block_of_a_long_span_are_seen(int length)
    {
        var x = Values(length, seed: 6);
        foreach (int position in new[] { 0, 1, 2047, 2048, 4095, 4096, 8191, 8192, length / 2, length - 9, length - 1 }.Where(i => i < length))
        {
            float saved = x[position];
            foreach (float bad in NonFiniteValues)
            {
                x[position] = bad;
                double expected = float.IsNaN(bad) ? double.NaN : double.PositiveInfinity;
                foreach (double p in KernelReference.Powers)
                {
                    Assert.True(expected.Equals(Reductions.PowerSum(x, p)), $"{bad} at {position} of {length}, p = {p}");
                }
                Assert.Equal(position, Reductions.IndexOfNonFinite(x));
            }
            x[position] = saved;
        }
        // ∞ in one block and NaN in another: NaN.
        x[0] = float.PositiveInfinity;
        x[length - 1] = float.NaN;
        Assert.True(double.IsNaN(Reductions.SumSquares(x)));
        Assert.True(double.IsNaN(Reductions.SumAbs(x)));
    }

    [Fact]
    public void Values_near_1e20_give_their_true_finite_sum_of_squares()
    {
        // 1e20² = 1e40 overflows float: the float block sums must not be the answer.
        foreach (int length in new[] { 1, 7, 16, 100, 4096, 8192, 8193, 20_000 })
        {
            var x = Enumerable.Range(0, length).Select(i => (i % 2 == 0 ? 1e20f : -3e19f)).ToArray();
            Close(PowerSum(x, 2), Reductions.SumSquares(x), 1e-12, $"length {length}");
            Close(PowerSum(x, 3), Reductions.SumAbsPow(x, 3), 1e-12, $"length {length}");
            // Equal values round the same way in every float lane: the block bound, about 70 · 2^-24, applies.
            Close(PowerSum(x, 1), Reductions.SumAbs(x), 1e-5, $"length {length}");
        }
        var huge = Enumerable.Repeat(float.MaxValue, 10_000).ToArray();
        Close(10_000.0 * float.MaxValue, Reductions.SumAbs(huge), 1e-12);
        Close(10_000.0 * float.MaxValue * float.MaxValue, Reductions.SumSquares(huge), 1e-12);
    }

    [Fact]
    public void Huge_values_among_ordinary_ones_keep_both_exact_enough()
    {
        var x = Uniform(50_000, seed: 7);
        x[12_345] = 1e20f;
        Close(PowerSum(x, 2), Reductions.SumSquares(x), 1e-12);
    }

    [Fact]
    public void Tiny_values_whose_float_squares_underflow_are_summed_in_double()
    {
        foreach (int length in new[] { 5, 64, 8192, 20_000 })
        {
            var x = Values(length, seed: 8, scale: 1e-25);
            Close(PowerSum(x, 2), Reductions.SumSquares(x), 1e-9, $"length {length}");
            Assert.True(Reductions.SumSquares(x) > 0);
            Close(PowerSum(x, 1), Reductions.SumAbs(x), 1e-6, $"length {length}");
        }
        var subnormal = Enumerable.Repeat(float.Epsilon, 1000).ToArray();
        Close(1000.0 * float.Epsilon * float.Epsilon, Reductions.SumSquares(subnormal), 1e-12);
        Close(1000.0 * float.Epsilon, Reductions.SumAbs(subnormal), 1e-12);
    }

    [Fact]
    public void Zero_blocks_sum_to_zero_and_signed_zeros_count_as_zero()
    {
        var x = new float[3 * 8192 + 5];
        Assert.Equal(0, Reductions.SumSquares(x));
        x[100] = -0f;
        Assert.Equal(0, Reductions.SumSquares(x));
        Assert.Equal(0, Reductions.SumAbs(x));
        Assert.Equal(0, Reductions.MaxAbs(x));
        x[8192 * 2 + 3] = 1e-30f; // its float square underflows to 0: the block must not be taken for all zeros
        Close((double)1e-30f * 1e-30f, Reductions.SumSquares(x), 1e-12);
        x[8192 * 2 + 3] = 0.5f;
        Assert.Equal(0.25, Reductions.SumSquares(x));
        Assert.Equal(0.5, Reductions.MaxAbs(x));
    }

    [Fact]
    public void Ten_million_elements_are_accurate_to_about_1e9_and_deterministic()
    {
        const int N = 10_000_000;
        var x = Uniform(N, seed: 9);
        for (int i = 0; i < N; i += 3)
        {
            x[i] = Math.Abs(x[i]); // a positive bias makes Σx a large sum too
        }
        foreach (double p in new[] { 1.0, 2.0 })
        {
            double expected = PowerSum(x, p);
            double actual = Reductions.PowerSum(x, p);
            Assert.True(RelativeError(expected, actual) < 1e-8, $"p = {p}: relative error {RelativeError(expected, actual):E2}");
            Assert.Equal(BitConverter.DoubleToInt64Bits(actual), BitConverter.DoubleToInt64Bits(Reductions.PowerSum(x, p)));
        }
        Close(PowerSum(x, 1.5), Reductions.SumAbsPow(x, 1.5), 1e-12);
        Assert.Equal((float)PowerSum(x, double.PositiveInfinity), Reductions.MaxAbs(x));
    }

    [Fact]
    public void General_powers_match_Math_Pow_for_subnormal_and_huge_values()
    {
        float[] x = [float.Epsilon, 1e-40f, 1e-30f, 0.5f, 1, 2, 3, 1e10f, 1e30f, float.MaxValue, 0, -0f, -7];
        foreach (double p in new[] { 0.25, 1.5, 3, 7.5 })
        {
            for (int i = 0; i < x.Length; i++)
            {
                var single = Enumerable.Repeat(x[i], 9).ToArray(); // one vector and a tail
                Close(PowerSum(single, p), Reductions.SumAbsPow(single, p), 1e-12, $"{x[i]}^{p}");
            }
            Close(PowerSum(x, p), Reductions.SumAbsPow(x, p), 1e-12, $"p = {p}");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Powers_that_are_not_positive_are_rejected(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.PowerSum([1f, 2f], p));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.SumAbsPow([1f, 2f], p));
    }

    [Fact]
    public void SumAbsPow_rejects_an_infinite_power()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.SumAbsPow([1f], double.PositiveInfinity));
    }
}
