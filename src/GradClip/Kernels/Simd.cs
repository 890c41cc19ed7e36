using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GradClip.Kernels;

/// <summary>
/// The float32 vector operations the kernels are written with, once for every vector width: each kernel is a generic
/// method over a struct implementing this interface, so the JIT compiles it separately for 128, 256 and 512 bits and
/// inlines every call (the same device as .NET's internal <c>ISimdVector</c>).
/// </summary>
/// <typeparam name="TVector">The vector type, e.g. <see cref="Vector256{T}"/> of float.</typeparam>
internal interface ISimd<TVector>
    where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Create(float value);

    static abstract TVector Load(ref float source, nuint index);

    static abstract void Store(TVector value, ref float destination, nuint index);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>a · b + addend, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector addend);

    static abstract TVector Abs(TVector x);

    /// <summary>min(max(x, min), max) with NaN lanes of <paramref name="x"/> passed through unchanged.</summary>
    static abstract TVector Clamp(TVector x, TVector min, TVector max);

    /// <summary>Keeps the last <paramref name="valid"/> lanes and zeroes the others: the tail of an overlapping last load.</summary>
    static abstract TVector KeepLast(TVector x, int valid);

    /// <summary>Lane sum, widened to double before adding.</summary>
    static abstract double SumToDouble(TVector x);

    /// <summary>
    /// Lane-wise unsigned max of <paramref name="max"/> and the bits of |x|. As integers, the bits of |x| order like the
    /// magnitudes, and every NaN sorts above +∞, so a NaN anywhere survives into the result.
    /// </summary>
    static abstract TVector MaxMagnitudeBits(TVector max, TVector x);

    /// <summary>The largest lane of a <see cref="MaxMagnitudeBits"/> accumulator, as bits.</summary>
    static abstract uint MaxLaneBits(TVector bits);

    /// <summary>All-ones lanes where x is NaN or ±∞ (exponent bits all set), zero elsewhere.</summary>
    static abstract TVector NonFiniteMask(TVector x);

    /// <summary>One bit per lane, set where the lane's sign bit is: for masks, bit i says whether lane i is set.</summary>
    static abstract uint MaskBits(TVector mask);

    static abstract TVector Or(TVector a, TVector b);

    /// <summary>Lanes of <paramref name="ifSet"/> where <paramref name="mask"/> is set, of <paramref name="ifClear"/> elsewhere.</summary>
    static abstract TVector Select(TVector mask, TVector ifSet, TVector ifClear);
}

/// <summary><see cref="ISimd{TVector}"/> over 512-bit vectors.</summary>
internal readonly struct Simd512 : ISimd<Vector512<float>>
{
    private const uint MagnitudeMask = 0x7FFF_FFFF;
    private const uint ExponentMask = 0x7F80_0000;

    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) =>
        Vector512.MultiplyAddEstimate(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Clamp(Vector512<float> x, Vector512<float> min, Vector512<float> max) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, x), Vector512.MinNative(Vector512.MaxNative(x, min), max), x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepLast(Vector512<float> x, int valid) =>
        x & Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Count - valid)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector512<float> x) => Vector512.Sum(Vector512.WidenLower(x) + Vector512.WidenUpper(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxMagnitudeBits(Vector512<float> max, Vector512<float> x) =>
        Vector512.Max(max.AsUInt32(), x.AsUInt32() & Vector512.Create(MagnitudeMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaxLaneBits(Vector512<float> bits) =>
        Simd256.MaxLaneBits(Vector256.Max(bits.GetLower().AsUInt32(), bits.GetUpper().AsUInt32()).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NonFiniteMask(Vector512<float> x) =>
        Vector512.Equals(x.AsUInt32() & Vector512.Create(ExponentMask), Vector512.Create(ExponentMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaskBits(Vector512<float> mask) => (uint)mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> ifSet, Vector512<float> ifClear) =>
        Vector512.ConditionalSelect(mask, ifSet, ifClear);
}

/// <summary><see cref="ISimd{TVector}"/> over 256-bit vectors.</summary>
internal readonly struct Simd256 : ISimd<Vector256<float>>
{
    private const uint MagnitudeMask = 0x7FFF_FFFF;
    private const uint ExponentMask = 0x7F80_0000;

    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) =>
        Vector256.MultiplyAddEstimate(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clamp(Vector256<float> x, Vector256<float> min, Vector256<float> max) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, x), Vector256.MinNative(Vector256.MaxNative(x, min), max), x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepLast(Vector256<float> x, int valid) =>
        x & Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(Count - valid)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector256<float> x) => Vector256.Sum(Vector256.WidenLower(x) + Vector256.WidenUpper(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxMagnitudeBits(Vector256<float> max, Vector256<float> x) =>
        Vector256.Max(max.AsUInt32(), x.AsUInt32() & Vector256.Create(MagnitudeMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaxLaneBits(Vector256<float> bits) =>
        Simd128.MaxLaneBits(Vector128.Max(bits.GetLower().AsUInt32(), bits.GetUpper().AsUInt32()).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NonFiniteMask(Vector256<float> x) =>
        Vector256.Equals(x.AsUInt32() & Vector256.Create(ExponentMask), Vector256.Create(ExponentMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaskBits(Vector256<float> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifSet, Vector256<float> ifClear) =>
        Vector256.ConditionalSelect(mask, ifSet, ifClear);
}

/// <summary><see cref="ISimd{TVector}"/> over 128-bit vectors.</summary>
internal readonly struct Simd128 : ISimd<Vector128<float>>
{
    private const uint MagnitudeMask = 0x7FFF_FFFF;
    private const uint ExponentMask = 0x7F80_0000;

    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> addend) =>
        Vector128.MultiplyAddEstimate(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> x) => Vector128.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Clamp(Vector128<float> x, Vector128<float> min, Vector128<float> max) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, x), Vector128.MinNative(Vector128.MaxNative(x, min), max), x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> KeepLast(Vector128<float> x, int valid) =>
        x & Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(Count - valid)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumToDouble(Vector128<float> x) => Vector128.Sum(Vector128.WidenLower(x) + Vector128.WidenUpper(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxMagnitudeBits(Vector128<float> max, Vector128<float> x) =>
        Vector128.Max(max.AsUInt32(), x.AsUInt32() & Vector128.Create(MagnitudeMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaxLaneBits(Vector128<float> bits)
    {
        var b = bits.AsUInt32();
        return Math.Max(Math.Max(b.GetElement(0), b.GetElement(1)), Math.Max(b.GetElement(2), b.GetElement(3)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NonFiniteMask(Vector128<float> x) =>
        Vector128.Equals(x.AsUInt32() & Vector128.Create(ExponentMask), Vector128.Create(ExponentMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaskBits(Vector128<float> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> ifSet, Vector128<float> ifClear) =>
        Vector128.ConditionalSelect(mask, ifSet, ifClear);
}
