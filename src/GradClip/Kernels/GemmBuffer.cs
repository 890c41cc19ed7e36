using System.Runtime.InteropServices;

namespace GradClip.Kernels;

/// <summary>
/// A growable float buffer aligned to 64 bytes (one cache line, one 512-bit vector), kept per thread so that GEMM calls
/// allocate nothing once warm. Packed panels are read with full-width loads, which would split cache lines if unaligned.
/// </summary>
internal sealed class GemmBuffer
{
    private const int AlignmentBytes = 64;

    [ThreadStatic]
    private static GemmBuffer? t_packedA;

    [ThreadStatic]
    private static GemmBuffer? t_packedB;

    [ThreadStatic]
    private static GemmBuffer? t_transposedC;

    private float[] _array = [];
    private int _start;

    /// <summary>This thread's buffer for packed blocks of A.</summary>
    public static GemmBuffer PackedA => t_packedA ??= new GemmBuffer();

    /// <summary>This thread's buffer for the packed B of a call (shared read-only with that call's worker threads).</summary>
    public static GemmBuffer PackedB => t_packedB ??= new GemmBuffer();

    /// <summary>This thread's buffer for a product computed transposed (Cᵀ), before it is written into C.</summary>
    public static GemmBuffer TransposedC => t_transposedC ??= new GemmBuffer();

    /// <summary>The first <paramref name="length"/> floats of the buffer (contents undefined), grown when too small.</summary>
    public Memory<float> Get(int length)
    {
        if (_array.Length - _start < length)
        {
            // Pinned (on the pinned object heap) so that the alignment computed here stays true.
            _array = GC.AllocateUninitializedArray<float>(length + AlignmentBytes / sizeof(float), pinned: true);
            long address = Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
            _start = (int)((AlignmentBytes - address % AlignmentBytes) % AlignmentBytes) / sizeof(float);
        }
        return _array.AsMemory(_start, length);
    }
}
