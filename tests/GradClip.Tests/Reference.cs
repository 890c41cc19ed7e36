using GradClip.Tensors;

namespace GradClip.Tests;

/// <summary>Independent double-precision references that tests compare the library against.</summary>
internal static class Reference
{
    /// <summary>‖x‖_p computed element by element in double (max |x| for p = ∞).</summary>
    public static double Norm(IEnumerable<float> x, double p)
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
        double sum = 0;
        foreach (float v in x)
        {
            sum += Math.Pow(Math.Abs((double)v), p);
        }
        return Math.Pow(sum, 1 / p);
    }

    /// <summary>PyTorch's total norm: the p-norm of the vector of per-tensor p-norms.</summary>
    public static double TotalNorm(IEnumerable<float[]> tensors, double p)
    {
        var norms = tensors.Select(t => Norm(t, p)).ToArray();
        if (double.IsPositiveInfinity(p))
        {
            return norms.Length == 0 ? 0 : norms.Any(double.IsNaN) ? double.NaN : norms.Max();
        }
        return Math.Pow(norms.Sum(n => Math.Pow(n, p)), 1 / p);
    }

    /// <summary>Asserts |actual - expected| ≤ tolerance · max(1, |expected|).</summary>
    public static void Close(double expected, double actual, double tolerance = 1e-6)
    {
        double bound = tolerance * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(actual - expected) <= bound, $"Expected {expected:R}, got {actual:R} (tolerance {bound:R}).");
    }

    /// <summary>A seeded array of normally distributed values with the given scale.</summary>
    public static float[] Gaussian(Random random, int count, double scale = 1)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            data[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return data;
    }

    /// <summary>A parameter tensor of the given size with a copy of <paramref name="grad"/> as its gradient.</summary>
    public static Tensor Parameter(float[] grad, string? name = null)
    {
        var p = Tensor.Zeros(grad.Length);
        p.Grad = Tensor.FromArray((float[])grad.Clone());
        p.Name = name;
        return p;
    }
}
