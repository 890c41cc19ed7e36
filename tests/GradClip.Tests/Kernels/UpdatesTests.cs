using GradClip.Kernels;
using static GradClip.Tests.Kernels.KernelReference;

namespace GradClip.Tests.Kernels;

public class UpdatesTests
{
    private const int MaxShortLength = 256;

    // Sentinels around every span: a vector tail that strays outside its span shows up as a changed sentinel.
    private const int Guard = 16;
    private const float Sentinel = 1234.5f;

    private static readonly float[] Special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.MaxValue, -float.Epsilon];

    /// <summary>Values of <see cref="Values"/> with specials mixed in, inside sentinels.</summary>
    private static float[] Guarded(int length, int seed)
    {
        var data = Values(length, seed, scale: 2);
        for (int i = seed % 5; i < length; i += 7)
        {
            data[i] = Special[i % Special.Length];
        }
        var guarded = Enumerable.Repeat(Sentinel, length + 2 * Guard).ToArray();
        data.CopyTo(guarded, Guard);
        return guarded;
    }

    private static Span<float> Inner(float[] guarded) => guarded.AsSpan(Guard, guarded.Length - 2 * Guard);

    private static void AssertSentinelsKept(float[] guarded, int length)
    {
        for (int i = 0; i < Guard; i++)
        {
            Assert.Equal(Sentinel, guarded[i]);
            Assert.Equal(Sentinel, guarded[Guard + length + i]);
        }
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(0f)]
    [InlineData(-3f)]
    [InlineData(float.NaN)]
    public void Scale_multiplies_every_element_once_with_IEEE_rules_for_every_length_to_256(float factor)
    {
        for (int length = 0; length <= MaxShortLength; length++)
        {
            var guarded = Guarded(length, seed: length);
            var expected = Inner(guarded).ToArray().Select(v => v * factor).ToArray();
            Updates.Scale(Inner(guarded), factor);
            for (int i = 0; i < length; i++)
            {
                Assert.True(Same(expected[i], Inner(guarded)[i]), $"element {i} of {length}: {expected[i]} vs {Inner(guarded)[i]}");
            }
            AssertSentinelsKept(guarded, length);
        }
    }

    [Fact]
    public void Scale_by_zero_turns_infinity_into_NaN_and_keeps_NaN()
    {
        float[] x = [float.PositiveInfinity, float.NaN, 2, float.NegativeInfinity, 1, 1, 1, 1, 1];
        Updates.Scale(x, 0);
        Assert.True(float.IsNaN(x[0]));
        Assert.True(float.IsNaN(x[1]));
        Assert.Equal(0, x[2]);
        Assert.True(float.IsNaN(x[3]));
    }

    [Fact]
    public void Clamp_matches_the_scalar_rule_for_every_length_to_256()
    {
        const float Min = -1.5f, Max = 0.75f;
        for (int length = 0; length <= MaxShortLength; length++)
        {
            var guarded = Guarded(length, seed: 100 + length);
            var x = Inner(guarded);
            if (length > 2)
            {
                x[1] = Min; // bounds themselves are kept
                x[2] = Max;
            }
            var expected = x.ToArray().Select(v => v < Min ? Min : v > Max ? Max : v).ToArray();
            Updates.Clamp(x, Min, Max);
            for (int i = 0; i < length; i++)
            {
                Assert.True(Same(expected[i], x[i]), $"element {i} of {length}: {expected[i]} vs {x[i]}");
                Assert.True(float.IsNaN(x[i]) || (x[i] >= Min && x[i] <= Max));
            }
            AssertSentinelsKept(guarded, length);
        }
    }

    [Fact]
    public void Clamp_lets_NaN_through_and_clamps_infinities_to_the_bounds_inclusively()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -1, 1, 0.999f, -1.001f, 3, -0f, 1e-45f, float.NaN];
        Updates.Clamp(x, -1, 1);
        Assert.True(float.IsNaN(x[0]));
        Assert.Equal([1f, -1, -1, 1, 0.999f, -1, 1, 0, 1e-45f], x[1..10]);
        Assert.True(float.IsNaN(x[10]));
    }

    [Fact]
    public void Clamp_to_a_single_value_sets_every_finite_element_to_it()
    {
        var x = Values(100, seed: 11);
        Updates.Clamp(x, 0.25f, 0.25f);
        Assert.All(x, v => Assert.Equal(0.25f, v));
    }

    [Theory]
    [InlineData(1f, -1f)]
    [InlineData(float.NaN, 1f)]
    [InlineData(-1f, float.NaN)]
    public void Clamp_rejects_bounds_out_of_order_or_NaN(float min, float max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Updates.Clamp(new float[4], min, max));
        Assert.Throws<ArgumentOutOfRangeException>(() => Updates.ClampAndSumSquares(new float[4], min, max));
    }

    [Fact]
    public void ClampAndSumSquares_is_bit_identical_to_Clamp_then_SumSquares()
    {
        var lengths = Enumerable.Range(0, MaxShortLength + 1).Concat([4095, 4096, 4097, 8191, 8192, 8193, 40_000 + 3]);
        foreach (int length in lengths)
        {
            var guarded = Guarded(length, seed: 200 + length);
            var x = Inner(guarded);
            for (int i = 0; i < length; i++)
            {
                x[i] = float.IsNaN(x[i]) ? 0.5f : x[i]; // NaN is tested on its own
            }
            var separate = x.ToArray();
            Updates.Clamp(separate, -2, 3);
            double expected = Reductions.SumSquares(separate);
            double actual = Updates.ClampAndSumSquares(x, -2, 3);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
            Assert.Equal(separate, x.ToArray());
            Close(PowerSum(separate, 2), actual, 1e-6, $"length {length}");
            AssertSentinelsKept(guarded, length);
        }
    }

    [Fact]
    public void ClampAndSumSquares_with_NaN_keeps_it_and_sums_to_NaN()
    {
        var x = Values(1000, seed: 12);
        x[777] = float.NaN;
        Assert.True(double.IsNaN(Updates.ClampAndSumSquares(x, -1, 1)));
        Assert.True(float.IsNaN(x[777]));
    }

    [Fact]
    public void ClampAndSumSquares_with_huge_bounds_gives_the_finite_double_sum()
    {
        var x = Enumerable.Repeat(float.PositiveInfinity, 5000).ToArray();
        double sum = Updates.ClampAndSumSquares(x, -1e20f, 1e20f);
        Close(5000 * (double)1e20f * 1e20f, sum, 1e-12);
        Assert.All(x, v => Assert.Equal(1e20f, v));
    }

    [Fact]
    public void ZeroNonFinite_zeroes_and_counts_NaN_and_infinities_at_every_position()
    {
        float[] bad = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        for (int length = 0; length <= MaxShortLength; length++)
        {
            var clean = Values(length, seed: 300 + length);
            for (int position = 0; position < length; position++)
            {
                var guarded = Enumerable.Repeat(Sentinel, length + 2 * Guard).ToArray();
                clean.CopyTo(guarded, Guard);
                var x = Inner(guarded);
                x[position] = bad[position % 3];
                int expectedCount = 1;
                if (length - 1 != position)
                {
                    x[length - 1] = bad[(position + 1) % 3];
                    expectedCount++;
                }
                Assert.Equal(expectedCount, Updates.ZeroNonFinite(x));
                for (int i = 0; i < length; i++)
                {
                    Assert.Equal(i == position || i == length - 1 ? 0 : clean[i], x[i]);
                }
                AssertSentinelsKept(guarded, length);
            }
            Assert.Equal(0, Updates.ZeroNonFinite(clean.ToArray()));
        }
    }

    [Fact]
    public void ZeroNonFinite_counts_every_element_when_all_are_non_finite()
    {
        foreach (int length in new[] { 1, 7, 64, 100, 5000 })
        {
            var x = Enumerable.Range(0, length).Select(i => i % 2 == 0 ? float.NaN : float.NegativeInfinity).ToArray();
            Assert.Equal(length, Updates.ZeroNonFinite(x));
            Assert.All(x, v => Assert.Equal(0, v));
        }
    }
}
