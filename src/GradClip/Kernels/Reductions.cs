namespace GradClip.Kernels;

/// <summary>Reductions over one span of float32 values, accumulated in double so that they neither overflow nor lose small terms.</summary>
/// <remarks>NaN anywhere gives NaN; ±∞ (and no NaN) gives +∞. Results are deterministic for a given length and input.</remarks>
public static class Reductions
{
    /// <summary>Σ|x|.</summary>
    public static double SumAbs(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += Math.Abs(v);
        }
        return sum;
    }

    /// <summary>Σx².</summary>
    public static double SumSquares(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }
        return sum;
    }

    /// <summary>Σ|x|^p for a finite p &gt; 0.</summary>
    public static double SumAbsPow(ReadOnlySpan<float> x, double p)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += Math.Pow(Math.Abs(v), p);
        }
        return sum;
    }

    /// <summary>max|x|, 0 for an empty span, NaN when any element is NaN.</summary>
    public static float MaxAbs(ReadOnlySpan<float> x)
    {
        float max = 0;
        foreach (float v in x)
        {
            float a = Math.Abs(v);
            if (float.IsNaN(a))
            {
                return float.NaN;
            }
            max = Math.Max(max, a);
        }
        return max;
    }

    /// <summary>The p-th power sum Σ|x|^p, or max|x| when p is +∞: what a p-norm accumulates before its root.</summary>
    public static double PowerSum(ReadOnlySpan<float> x, double p) => p switch
    {
        1 => SumAbs(x),
        2 => SumSquares(x),
        double.PositiveInfinity => MaxAbs(x),
        _ => SumAbsPow(x, p),
    };

    /// <summary>The index of the first NaN or ±∞ element, or -1 when all are finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!float.IsFinite(x[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
