namespace GradClip.Kernels;

/// <summary>General matrix multiply over row-major float32 spans: C = op(A)·op(B), or C += op(A)·op(B).</summary>
public static class Gemm
{
    /// <summary>
    /// C (m×n) = op(A)·op(B), where op(A) is m×k and op(B) is k×n. With <paramref name="transposeA"/> A is stored k×m,
    /// with <paramref name="transposeB"/> B is stored n×k. With <paramref name="accumulate"/> the product is added to C.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException($"Spans of {a.Length}, {b.Length} and {c.Length} elements are too short for a {m}×{k} by {k}×{n} product.");
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * m + i] : a[i * k + p];
                    float bv = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }
}
