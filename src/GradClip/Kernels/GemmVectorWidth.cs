namespace GradClip.Kernels;

/// <summary>The vector width, and with it the micro-kernel, that a GEMM call runs on.</summary>
internal enum GemmVectorWidth
{
    /// <summary>Vector128: 6×8 tiles; correct on every CPU (in software where not accelerated).</summary>
    Bits128,

    /// <summary>Vector256: 6×16 tiles, for AVX2.</summary>
    Bits256,

    /// <summary>Vector512: 12×32 tiles, for AVX-512.</summary>
    Bits512,
}
