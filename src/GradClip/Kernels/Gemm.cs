using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradClip.Kernels;

/// <summary>General matrix multiply over row-major float32 spans or memory: C = op(A)·op(B), or C += op(A)·op(B).</summary>
/// <remarks>
/// Blocked and packed (BLIS-style) around a register-blocked FMA micro-kernel on the widest vectors the CPU accelerates;
/// large products are shared between the calling thread and the library's persistent worker thread (two cores). Pass
/// memory rather than spans when products may be large: the worker then reads and writes it in place, where spans
/// cost it copies of its rows. Results are deterministic: on a given machine the same shapes and inputs give
/// bit-identical outputs, however the work was split over threads. NaN and ±∞ propagate as IEEE arithmetic dictates.
/// Calls allocate nothing once warm: each thread keeps its packing buffers (about k·n floats for the largest product it
/// ran), and the copies for spans come from the shared array pool.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// Multiply-adds (2²⁰) from which one product of a batch shares its own rows with the worker thread, as
    /// <see cref="GemmDriver{TKernel}"/> does; smaller products are shared out whole, once the batch's total reaches it.
    /// </summary>
    private const long BatchSharingLimit = 1L << 20;

    /// <summary>The vector width public calls use: the widest one this CPU executes natively.</summary>
    /// <remarks>
    /// On Skylake-X and Cascade Lake .NET reports Vector512 as not accelerated, because 512-bit instructions lower the
    /// clock, yet still compiles it to AVX-512. A long dense FMA kernel is where the trade pays: measured on a Cascade
    /// Lake Xeon, 512-bit FMA chains reach twice the flops of 256-bit ones, so AVX-512 support alone selects it here.
    /// </remarks>
    internal static readonly GemmVectorWidth WidestAccelerated =
        Vector512.IsHardwareAccelerated || Avx512F.IsSupported ? GemmVectorWidth.Bits512
        : Vector256.IsHardwareAccelerated ? GemmVectorWidth.Bits256
        : GemmVectorWidth.Bits128;

    /// <summary>
    /// C (m×n) = op(A)·op(B), where op(A) is m×k and op(B) is k×n. With <paramref name="transposeA"/> A is stored k×m,
    /// with <paramref name="transposeB"/> B is stored n×k. With <paramref name="accumulate"/> the product is added to C.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) =>
        Multiply(a, b, c, m, k, n, transposeA, transposeB, accumulate, WidestAccelerated);

    /// <summary>
    /// <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool, bool, bool)"/>
    /// over memory (arrays or slices of them). Large products are shared with a second thread that reads and writes
    /// this memory in place, where spans, which cannot cross threads, cost it copies of its rows of A and C.
    /// </summary>
    public static void Multiply(
        ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) =>
        Multiply(a, b, c, m, k, n, transposeA, transposeB, accumulate, WidestAccelerated);

    /// <summary>
    /// <paramref name="batch"/> products C_i = op(A_i)·op(B_i), where A, B and C hold their matrices back to back (A_i
    /// at i·m·k, B_i at i·k·n, C_i at i·m·n), as <c>torch.bmm</c>. Products too small to share their rows are shared
    /// out whole between the two threads instead; each is computed as one call of
    /// <see cref="Multiply(ReadOnlyMemory{float}, ReadOnlyMemory{float}, Memory{float}, int, int, int, bool, bool, bool)"/>
    /// computes it, so the result is the same bits however the batch was split.
    /// </summary>
    public static void MultiplyBatched(
        ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int batch, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        int aSize = m * k, bSize = k * n, cSize = m * n;
        ThrowIfTooShort(a.Length, (long)batch * aSize, "batch·m·k", "a", m, k, n);
        ThrowIfTooShort(b.Length, (long)batch * bSize, "batch·k·n", "b", m, k, n);
        ThrowIfTooShort(c.Length, (long)batch * cSize, "batch·m·n", "c", m, k, n);
        long products = (long)m * k * n;
        if (products >= BatchSharingLimit)
        {
            for (int i = 0; i < batch; i++)
            {
                Multiply(a.Slice(i * aSize, aSize), b.Slice(i * bSize, bSize), c.Slice(i * cSize, cSize), m, k, n, transposeA, transposeB, accumulate);
            }
            return;
        }
        PairRange.For(batch, products * batch >= BatchSharingLimit, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                Multiply(a.Span.Slice(i * aSize, aSize), b.Span.Slice(i * bSize, bSize), c.Span.Slice(i * cSize, cSize), m, k, n, transposeA, transposeB, accumulate);
            }
        });
    }

    /// <summary><see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool, bool, bool)"/> with a chosen vector width, so that tests reach every kernel on any CPU.</summary>
    internal static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate, GemmVectorWidth width)
    {
        if (!NeedsProducts(a.Length, b.Length, c, m, k, n, transposeA, transposeB, accumulate))
        {
            return;
        }
        DriverFor(width).Multiply(a, b, c, m, k, n, transposeA, transposeB, accumulate);
    }

    /// <summary><see cref="Multiply(ReadOnlyMemory{float}, ReadOnlyMemory{float}, Memory{float}, int, int, int, bool, bool, bool)"/> with a chosen vector width.</summary>
    internal static void Multiply(
        ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate, GemmVectorWidth width)
    {
        if (!NeedsProducts(a.Length, b.Length, c.Span, m, k, n, transposeA, transposeB, accumulate))
        {
            return;
        }
        DriverFor(width).Multiply(a, b, c, m, k, n, transposeA, transposeB, accumulate);
    }

    /// <summary>The driver around the micro-kernel for <paramref name="width"/>.</summary>
    private static IGemmDriver DriverFor(GemmVectorWidth width) => width switch
    {
        GemmVectorWidth.Bits512 => GemmDriver<GemmTwelveRowKernel<GemmLanes512, Vector512<float>>>.Instance,
        GemmVectorWidth.Bits256 => GemmDriver<GemmSixRowKernel<GemmLanes256, Vector256<float>>>.Instance,
        _ => GemmDriver<GemmSixRowKernel<GemmLanes128, Vector128<float>>>.Instance,
    };

    /// <summary>
    /// Checks the sizes against the operands' lengths and settles the products without multiply-adds: false when C is
    /// empty, or when k = 0 (C then cleared unless accumulating).
    /// </summary>
    private static bool NeedsProducts(
        int aLength, int bLength, Span<float> c, int m, int k, int n, bool transposeA, bool transposeB, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ThrowIfTooShort(aLength, (long)m * k, transposeA ? "k×m" : "m×k", "a", m, k, n);
        ThrowIfTooShort(bLength, (long)k * n, transposeB ? "n×k" : "k×n", "b", m, k, n);
        ThrowIfTooShort(c.Length, (long)m * n, "m×n", "c", m, k, n);
        if (m == 0 || n == 0)
        {
            return false;
        }
        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }
            return false;
        }
        return true;
    }

    private static void ThrowIfTooShort(int length, long needed, string layout, string name, int m, int k, int n)
    {
        if (length < needed)
        {
            throw new ArgumentException(
                $"Span {name} holds {length} elements, but as the {layout} operand of a product with m = {m}, k = {k}, n = {n} it needs {needed}.",
                name);
        }
    }
}
