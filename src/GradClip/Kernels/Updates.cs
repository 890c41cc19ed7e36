using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GradClip.Kernels;

/// <summary>In-place element-wise updates over one span of float32 values.</summary>
/// <remarks>
/// Each runs in one pass at memory speed with the widest hardware vector and ordinary stores (in place, the data is
/// read again soon). Results are deterministic and, apart from the sum of
/// <see cref="ClampAndSumSquares(Span{float}, float, float)"/>, exact.
/// </remarks>
public static class Updates
{
    /// <summary>x ← x · factor (IEEE rules: ∞ · 0 is NaN, NaN stays NaN).</summary>
    public static void Scale(Span<float> x, float factor) => Map(x, new ScaleOperator(factor));

    /// <summary>x ← x · factor for a factor computed in double (see <see cref="AsFloatFactors"/>).</summary>
    internal static void Scale(Span<float> x, double factor)
    {
        var (single, times) = AsFloatFactors(factor);
        for (int i = 0; i < times; i++)
        {
            Scale(x, single);
        }
    }

    /// <summary>The smallest positive normal float32, 2⁻¹²⁶.</summary>
    private const double SmallestNormalFloat = 1.1754943508222875e-38;

    /// <summary>
    /// A double factor as float factors to apply in turn: itself, or, below float32's normal range (a clip coefficient for
    /// a norm beyond ~1e38 × the limit, reachable since norms are measured in double), where the cast would lose its
    /// precision or flush to zero, its square root twice.
    /// </summary>
    internal static (float Factor, int Times) AsFloatFactors(double factor) =>
        factor < SmallestNormalFloat && factor > 0 ? ((float)Math.Sqrt(factor), 2) : ((float)factor, 1);

    /// <summary>x ← min(max(x, min), max), bounds included; NaN stays NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> exceeds <paramref name="max"/>, or either is NaN.</exception>
    public static void Clamp(Span<float> x, float min, float max) => Clamp(x, new ClampOperator(min, max));

    /// <summary>
    /// Clamps as <see cref="Clamp(Span{float}, float, float)"/> and returns Σx² of the result, in one pass over memory:
    /// the result is bit-identical to <see cref="Clamp(Span{float}, float, float)"/> followed by
    /// <see cref="Reductions.SumSquares"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> exceeds <paramref name="max"/>, or either is NaN.</exception>
    public static double ClampAndSumSquares(Span<float> x, float min, float max) => ClampAndSumSquares(x, new ClampOperator(min, max));

    /// <summary><see cref="Clamp(Span{float}, float, float)"/> with bounds already checked.</summary>
    internal static void Clamp(Span<float> x, ClampOperator clamp) => Map(x, clamp);

    /// <summary><see cref="ClampAndSumSquares(Span{float}, float, float)"/> with bounds already checked.</summary>
    internal static double ClampAndSumSquares(Span<float> x, ClampOperator clamp)
    {
        ref float start = ref MemoryMarshal.GetReference(x);
        nuint length = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            return ClampAndSumSquares<Simd512, Vector512<float>>(ref start, length, clamp);
        }
        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            return ClampAndSumSquares<Simd256, Vector256<float>>(ref start, length, clamp);
        }
        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            return ClampAndSumSquares<Simd128, Vector128<float>>(ref start, length, clamp);
        }
        Map(x, clamp);
        return Reductions.SumSquares(x);
    }

    /// <summary>Sets every NaN or ±∞ element to zero and returns how many there were.</summary>
    public static int ZeroNonFinite(Span<float> x)
    {
        ref float start = ref MemoryMarshal.GetReference(x);
        nuint length = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            return ZeroNonFinite<Simd512, Vector512<float>>(ref start, length);
        }
        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            return ZeroNonFinite<Simd256, Vector256<float>>(ref start, length);
        }
        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            return ZeroNonFinite<Simd128, Vector128<float>>(ref start, length);
        }
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

    /// <summary>x ← op(x) through the widest vector path the span is long enough for.</summary>
    private static void Map<TOperator>(Span<float> x, TOperator op)
        where TOperator : struct, IMapOperator
    {
        ref float start = ref MemoryMarshal.GetReference(x);
        nuint length = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            Map<Simd512, Vector512<float>, TOperator>(ref start, 0, length, op);
        }
        else if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            Map<Simd256, Vector256<float>, TOperator>(ref start, 0, length, op);
        }
        else if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            Map<Simd128, Vector128<float>, TOperator>(ref start, 0, length, op);
        }
        else
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = op.Invoke(x[i]);
            }
        }
    }

    /// <summary>x[start..end] ← op(x[start..end]); needs end - start ≥ one vector.</summary>
    private static void Map<TSimd, TVector, TOperator>(ref float x, nuint start, nuint end, TOperator op)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
        where TOperator : struct, IMapOperator
    {
        nuint width = (nuint)TSimd.Count;
        // The last vector overlaps the one before it: computed from the original values before anything is stored,
        // its overlapping lanes are the same results the loop stores, so storing it last is right even in place.
        nuint lastIndex = end - width;
        TVector last = op.Invoke<TSimd, TVector>(TSimd.Load(ref x, lastIndex));
        nuint i = start;
        for (; i + 4 * width <= end; i += 4 * width)
        {
            TSimd.Store(op.Invoke<TSimd, TVector>(TSimd.Load(ref x, i)), ref x, i);
            TSimd.Store(op.Invoke<TSimd, TVector>(TSimd.Load(ref x, i + width)), ref x, i + width);
            TSimd.Store(op.Invoke<TSimd, TVector>(TSimd.Load(ref x, i + 2 * width)), ref x, i + 2 * width);
            TSimd.Store(op.Invoke<TSimd, TVector>(TSimd.Load(ref x, i + 3 * width)), ref x, i + 3 * width);
        }
        for (; i + width <= end; i += width)
        {
            TSimd.Store(op.Invoke<TSimd, TVector>(TSimd.Load(ref x, i)), ref x, i);
        }
        TSimd.Store(last, ref x, lastIndex);
    }

    private static double ClampAndSumSquares<TSimd, TVector>(ref float x, nuint length, ClampOperator clamp)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        // Block by block, as Reductions.SumSquares does, so that each block is summed from the cache right after it is
        // clamped. Clamping is idempotent, so a short last block may be clamped from one vector before its end.
        nuint width = (nuint)TSimd.Count;
        nuint block = Reductions.BlockLength<TSimd, TVector>();
        double total = 0;
        for (nuint start = 0; start < length; start += block)
        {
            nuint end = Math.Min(start + block, length);
            Map<TSimd, TVector, ClampOperator>(ref x, Math.Min(start, end - width), end, clamp);
            total += Reductions.BlockSum<TSimd, TVector, SquareOperator>(ref x, start, end);
        }
        return total;
    }

    private static int ZeroNonFinite<TSimd, TVector>(ref float x, nuint length)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        nuint width = (nuint)TSimd.Count;
        int count = 0;
        nuint i = 0;
        for (; i + 4 * width <= length; i += 4 * width)
        {
            var any = TSimd.Or(
                TSimd.Or(TSimd.NonFiniteMask(TSimd.Load(ref x, i)), TSimd.NonFiniteMask(TSimd.Load(ref x, i + width))),
                TSimd.Or(TSimd.NonFiniteMask(TSimd.Load(ref x, i + 2 * width)), TSimd.NonFiniteMask(TSimd.Load(ref x, i + 3 * width))));
            if (TSimd.MaskBits(any) != 0)
            {
                for (nuint j = i; j < i + 4 * width; j += width)
                {
                    count += ZeroNonFiniteVector<TSimd, TVector>(ref x, j);
                }
            }
        }
        for (; i + width <= length; i += width)
        {
            count += ZeroNonFiniteVector<TSimd, TVector>(ref x, i);
        }
        if (i < length)
        {
            // The overlapping lanes are finite by now, so they are neither changed nor counted again.
            count += ZeroNonFiniteVector<TSimd, TVector>(ref x, length - width);
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ZeroNonFiniteVector<TSimd, TVector>(ref float x, nuint index)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        TVector v = TSimd.Load(ref x, index);
        TVector nonFinite = TSimd.NonFiniteMask(v);
        uint bits = TSimd.MaskBits(nonFinite);
        if (bits == 0)
        {
            return 0;
        }
        TSimd.Store(TSimd.Select(nonFinite, TSimd.Zero, v), ref x, index);
        return BitOperations.PopCount(bits);
    }
}

/// <summary>An element-wise function for <c>Updates.Map</c>, in float vectors and scalars.</summary>
internal interface IMapOperator
{
    TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct;

    float Invoke(float x);
}

/// <summary>x · factor.</summary>
internal readonly struct ScaleOperator(float factor) : IMapOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct => TSimd.Multiply(x, TSimd.Create(factor));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x * factor;
}

/// <summary>min(max(x, min), max), NaN passed through.</summary>
internal readonly struct ClampOperator : IMapOperator
{
    private readonly float _min;
    private readonly float _max;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> exceeds <paramref name="max"/>, or either is NaN.</exception>
    public ClampOperator(float min, float max)
    {
        if (!(min <= max))
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, $"Must not exceed max ({max}) and neither bound may be NaN.");
        }
        _min = min;
        _max = max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct => TSimd.Clamp(x, TSimd.Create(_min), TSimd.Create(_max));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x < _min ? _min : x > _max ? _max : x;
}
