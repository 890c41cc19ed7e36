namespace GradClip.Kernels;

/// <summary>In-place element-wise updates over one span of float32 values.</summary>
public static class Updates
{
    /// <summary>x ← x · factor (IEEE rules: ∞ · 0 is NaN, NaN stays NaN).</summary>
    public static void Scale(Span<float> x, float factor)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= factor;
        }
    }

    /// <summary>x ← min(max(x, min), max); NaN stays NaN.</summary>
    public static void Clamp(Span<float> x, float min, float max)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            x[i] = v < min ? min : v > max ? max : v;
        }
    }

    /// <summary>Clamps as <see cref="Clamp"/> and returns Σx² of the result, in one pass.</summary>
    public static double ClampAndSumSquares(Span<float> x, float min, float max)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            v = v < min ? min : v > max ? max : v;
            x[i] = v;
            sum += (double)v * v;
        }
        return sum;
    }

    /// <summary>Sets every NaN or ±∞ element to zero and returns how many there were.</summary>
    public static int ZeroNonFinite(Span<float> x)
    {
        int count = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!float.IsFinite(x[i]))
            {
                x[i] = 0;
                count++;
            }
        }
        return count;
    }
}
