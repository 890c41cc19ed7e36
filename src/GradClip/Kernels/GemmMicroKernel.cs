namespace GradClip.Kernels;

/// <summary>
/// A register-blocked micro-kernel: one <see cref="Rows"/>×<see cref="Columns"/> tile of C from slivers of A
/// (kc steps of <see cref="Rows"/> floats) and of B (kc steps of <see cref="Columns"/> floats).
/// </summary>
internal interface IGemmMicroKernel
{
    /// <summary>Rows of C per tile (MR): values of A broadcast per step.</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of C per tile (NR): two vectors of B per step.</summary>
    static abstract int Columns { get; }

    /// <summary>
    /// Computes the tile's sum over <paramref name="kc"/> steps and stores it at <paramref name="c"/> (rows
    /// <paramref name="ldc"/> apart), or adds it there when <paramref name="addToC"/>. Step p reads <see cref="Rows"/>
    /// values of A at aSliver + p·aStride and <see cref="Columns"/> values of B at bSliver + p·bStride: packed slivers
    /// have strides of Rows and Columns, operands already stored in step order are read in place with their row length.
    /// </summary>
    static abstract void Run(ref float aSliver, nint aStride, ref float bSliver, nint bStride, int kc, ref float c, int ldc, bool addToC);
}
