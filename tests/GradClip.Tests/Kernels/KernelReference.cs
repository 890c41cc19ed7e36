namespace GradClip.Tests.Kernels;

/// <summary>Scalar double-precision references and data for the kernel tests.</summary>
internal static class KernelReference
{
    /// <summary>The p-norms' p ∈ {1, 1.5, 2, 3, ∞} that the kernels are checked with.</summary>
    public static readonly double[] Powers = [1, 1.5, 2, 3, double.PositiveInfinity];

    public static TheoryData<double> PowerData => [.. Powers];

    /// <summary>
    /// Σ|x|^p (max|x| for p = ∞, NaN if any NaN) in double with Neumaier's compensated summation, so that its own error is
    /// far below the kernels': x² of a float is exact in double, and the compensation removes the rounding of the additions.
    /// </summary>
    public static double PowerSum(ReadOnlySpan<float> x, double p)
    {
        if (double.IsPositiveInfinity(p))
        {
            double max = 0;
            foreach (float v in x)
            {
                if (float.IsNaN(v))
                {
                    return double.NaN;
                }
                max = Math.Max(max, Math.Abs((double)v));
            }
            return max;
        }
        double sum = 0, compensation = 0;
        foreach (float v in x)
        {
            double a = Math.Abs((double)v);
            double term = p switch
            {
                1 => a,
                2 => a * a,
                _ => Math.Pow(a, p),
            };
            double t = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }
        double result = sum + compensation;
        return double.IsNaN(result) && !double.IsNaN(sum) ? sum : result; // ∞ - ∞ in the compensation
    }

    /// <summary>Asserts that <paramref name="actual"/> is within a relative <paramref name="tolerance"/> of <paramref name="expected"/>; NaN matches NaN and ∞ matches ∞ exactly.</summary>
    public static void Close(double expected, double actual, double tolerance, string? context = null)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected) || expected == 0)
        {
            Assert.True(expected.Equals(actual), $"Expected {expected:R}, got {actual:R}. {context}");
            return;
        }
        double error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= tolerance, $"Expected {expected:R}, got {actual:R}: relative error {error:E2} > {tolerance:E0}. {context}");
    }

    /// <summary>Relative error of <paramref name="actual"/> against <paramref name="expected"/>.</summary>
    public static double RelativeError(double expected, double actual) => Math.Abs(actual - expected) / Math.Abs(expected);

    /// <summary>Both NaN, or equal (so -0 matches 0).</summary>
    public static bool Same(float a, float b) => float.IsNaN(a) ? float.IsNaN(b) : a == b;

    /// <summary>Seeded values spread over several orders of magnitude, both signs, a few exact zeros.</summary>
    public static float[] Values(int count, int seed, double scale = 1)
    {
        var random = new Random(seed);
        var data = new float[count];
        for (int i = 0; i < data.Length; i++)
        {
            double magnitude = scale * Math.Pow(10, random.NextDouble() * 4 - 2);
            data[i] = random.Next(16) == 0 ? 0 : (float)(random.Next(2) == 0 ? magnitude : -magnitude);
        }
        return data;
    }

    /// <summary>Seeded uniform values in [-1, 1): the bulk case of a large gradient.</summary>
    public static float[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        var data = new float[count];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(2 * random.NextDouble() - 1);
        }
        return data;
    }
}
