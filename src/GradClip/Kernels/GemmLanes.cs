using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GradClip.Kernels;

/// <summary>
/// The few vector operations a GEMM micro-kernel needs, for one vector width. The kernels take an implementation as a
/// struct type parameter, so the JIT compiles one specialised copy per width and inlines every call.
/// </summary>
internal interface IGemmLanes<TVector> where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads one vector from <paramref name="source"/> + <paramref name="offset"/> elements.</summary>
    static abstract TVector Load(ref float source, nint offset);

    /// <summary>Stores one vector at <paramref name="destination"/> + <paramref name="offset"/> elements.</summary>
    static abstract void Store(TVector value, ref float destination, nint offset);

    /// <summary>A vector with every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary>left · right + addend with one rounding.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary>left + right.</summary>
    static abstract TVector Add(TVector left, TVector right);
}

/// <summary>512-bit vectors: 16 floats (AVX-512).</summary>
internal readonly struct GemmLanes512 : IGemmLanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) =>
        Vector512.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;
}

/// <summary>256-bit vectors: 8 floats (AVX2).</summary>
internal readonly struct GemmLanes256 : IGemmLanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) =>
        Vector256.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;
}

/// <summary>128-bit vectors: 4 floats (SSE, NEON, or the portable software fallback).</summary>
internal readonly struct GemmLanes128 : IGemmLanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) =>
        Vector128.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;
}
