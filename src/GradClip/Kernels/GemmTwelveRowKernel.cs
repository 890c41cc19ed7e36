using System.Runtime.CompilerServices;

namespace GradClip.Kernels;

/// <summary>Micro-kernel of 12 rows × 2 vectors: 24 accumulators, for CPUs with 32 vector registers (AVX-512).</summary>
/// <remarks>
/// Per step it loads two vectors of B, broadcasts 12 values of A and issues 24 independent FMAs: enough independent
/// chains to cover the FMA latency on both FMA ports, with 24 + 2 + 1 registers live, which fits in 32.
/// </remarks>
internal readonly struct GemmTwelveRowKernel<TLanes, TVector> : IGemmMicroKernel
    where TLanes : struct, IGemmLanes<TVector>
    where TVector : struct
{
    public static int Rows => 12;

    public static int Columns => 2 * TLanes.Count;

    // Written out in full: the JIT keeps named locals in registers but not array elements, and it does not unroll.
    public static void Run(ref float aSliver, nint aStride, ref float bSliver, nint bStride, int kc, ref float c, int ldc, bool addToC)
    {
        nint width = TLanes.Count;
        TVector c00 = default, c01 = default;
        TVector c10 = default, c11 = default;
        TVector c20 = default, c21 = default;
        TVector c30 = default, c31 = default;
        TVector c40 = default, c41 = default;
        TVector c50 = default, c51 = default;
        TVector c60 = default, c61 = default;
        TVector c70 = default, c71 = default;
        TVector c80 = default, c81 = default;
        TVector c90 = default, c91 = default;
        TVector c100 = default, c101 = default;
        TVector c110 = default, c111 = default;
        ref float a = ref aSliver;
        ref float b = ref bSliver;
        int p = 0;

        // Two steps per iteration: the loop's own instructions then cost half as much of the 4-per-cycle issue
        // width, which the loads and FMAs nearly fill (+15 % measured on Cascade Lake).
        for (; p + 2 <= kc; p += 2)
        {
            {
                TVector b0 = TLanes.Load(ref b, 0);
                TVector b1 = TLanes.Load(ref b, width);
                TVector a0 = TLanes.Broadcast(Unsafe.Add(ref a, 0));
                c00 = TLanes.MultiplyAdd(a0, b0, c00);
                c01 = TLanes.MultiplyAdd(a0, b1, c01);
                TVector a1 = TLanes.Broadcast(Unsafe.Add(ref a, 1));
                c10 = TLanes.MultiplyAdd(a1, b0, c10);
                c11 = TLanes.MultiplyAdd(a1, b1, c11);
                TVector a2 = TLanes.Broadcast(Unsafe.Add(ref a, 2));
                c20 = TLanes.MultiplyAdd(a2, b0, c20);
                c21 = TLanes.MultiplyAdd(a2, b1, c21);
                TVector a3 = TLanes.Broadcast(Unsafe.Add(ref a, 3));
                c30 = TLanes.MultiplyAdd(a3, b0, c30);
                c31 = TLanes.MultiplyAdd(a3, b1, c31);
                TVector a4 = TLanes.Broadcast(Unsafe.Add(ref a, 4));
                c40 = TLanes.MultiplyAdd(a4, b0, c40);
                c41 = TLanes.MultiplyAdd(a4, b1, c41);
                TVector a5 = TLanes.Broadcast(Unsafe.Add(ref a, 5));
                c50 = TLanes.MultiplyAdd(a5, b0, c50);
                c51 = TLanes.MultiplyAdd(a5, b1, c51);
                TVector a6 = TLanes.Broadcast(Unsafe.Add(ref a, 6));
                c60 = TLanes.MultiplyAdd(a6, b0, c60);
                c61 = TLanes.MultiplyAdd(a6, b1, c61);
                TVector a7 = TLanes.Broadcast(Unsafe.Add(ref a, 7));
                c70 = TLanes.MultiplyAdd(a7, b0, c70);
                c71 = TLanes.MultiplyAdd(a7, b1, c71);
                TVector a8 = TLanes.Broadcast(Unsafe.Add(ref a, 8));
                c80 = TLanes.MultiplyAdd(a8, b0, c80);
                c81 = TLanes.MultiplyAdd(a8, b1, c81);
                TVector a9 = TLanes.Broadcast(Unsafe.Add(ref a, 9));
                c90 = TLanes.MultiplyAdd(a9, b0, c90);
                c91 = TLanes.MultiplyAdd(a9, b1, c91);
                TVector a10 = TLanes.Broadcast(Unsafe.Add(ref a, 10));
                c100 = TLanes.MultiplyAdd(a10, b0, c100);
                c101 = TLanes.MultiplyAdd(a10, b1, c101);
                TVector a11 = TLanes.Broadcast(Unsafe.Add(ref a, 11));
                c110 = TLanes.MultiplyAdd(a11, b0, c110);
                c111 = TLanes.MultiplyAdd(a11, b1, c111);
            }
            {
                TVector b0 = TLanes.Load(ref b, bStride);
                TVector b1 = TLanes.Load(ref b, bStride + width);
                TVector a0 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 0));
                c00 = TLanes.MultiplyAdd(a0, b0, c00);
                c01 = TLanes.MultiplyAdd(a0, b1, c01);
                TVector a1 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 1));
                c10 = TLanes.MultiplyAdd(a1, b0, c10);
                c11 = TLanes.MultiplyAdd(a1, b1, c11);
                TVector a2 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 2));
                c20 = TLanes.MultiplyAdd(a2, b0, c20);
                c21 = TLanes.MultiplyAdd(a2, b1, c21);
                TVector a3 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 3));
                c30 = TLanes.MultiplyAdd(a3, b0, c30);
                c31 = TLanes.MultiplyAdd(a3, b1, c31);
                TVector a4 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 4));
                c40 = TLanes.MultiplyAdd(a4, b0, c40);
                c41 = TLanes.MultiplyAdd(a4, b1, c41);
                TVector a5 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 5));
                c50 = TLanes.MultiplyAdd(a5, b0, c50);
                c51 = TLanes.MultiplyAdd(a5, b1, c51);
                TVector a6 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 6));
                c60 = TLanes.MultiplyAdd(a6, b0, c60);
                c61 = TLanes.MultiplyAdd(a6, b1, c61);
                TVector a7 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 7));
                c70 = TLanes.MultiplyAdd(a7, b0, c70);
                c71 = TLanes.MultiplyAdd(a7, b1, c71);
                TVector a8 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 8));
                c80 = TLanes.MultiplyAdd(a8, b0, c80);
                c81 = TLanes.MultiplyAdd(a8, b1, c81);
                TVector a9 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 9));
                c90 = TLanes.MultiplyAdd(a9, b0, c90);
                c91 = TLanes.MultiplyAdd(a9, b1, c91);
                TVector a10 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 10));
                c100 = TLanes.MultiplyAdd(a10, b0, c100);
                c101 = TLanes.MultiplyAdd(a10, b1, c101);
                TVector a11 = TLanes.Broadcast(Unsafe.Add(ref a, aStride + 11));
                c110 = TLanes.MultiplyAdd(a11, b0, c110);
                c111 = TLanes.MultiplyAdd(a11, b1, c111);
            }
            a = ref Unsafe.Add(ref a, 2 * aStride);
            b = ref Unsafe.Add(ref b, 2 * bStride);
        }
        if (p < kc)
        {
            TVector b0 = TLanes.Load(ref b, 0);
            TVector b1 = TLanes.Load(ref b, width);
            TVector a0 = TLanes.Broadcast(Unsafe.Add(ref a, 0));
            c00 = TLanes.MultiplyAdd(a0, b0, c00);
            c01 = TLanes.MultiplyAdd(a0, b1, c01);
            TVector a1 = TLanes.Broadcast(Unsafe.Add(ref a, 1));
            c10 = TLanes.MultiplyAdd(a1, b0, c10);
            c11 = TLanes.MultiplyAdd(a1, b1, c11);
            TVector a2 = TLanes.Broadcast(Unsafe.Add(ref a, 2));
            c20 = TLanes.MultiplyAdd(a2, b0, c20);
            c21 = TLanes.MultiplyAdd(a2, b1, c21);
            TVector a3 = TLanes.Broadcast(Unsafe.Add(ref a, 3));
            c30 = TLanes.MultiplyAdd(a3, b0, c30);
            c31 = TLanes.MultiplyAdd(a3, b1, c31);
            TVector a4 = TLanes.Broadcast(Unsafe.Add(ref a, 4));
            c40 = TLanes.MultiplyAdd(a4, b0, c40);
            c41 = TLanes.MultiplyAdd(a4, b1, c41);
            TVector a5 = TLanes.Broadcast(Unsafe.Add(ref a, 5));
            c50 = TLanes.MultiplyAdd(a5, b0, c50);
            c51 = TLanes.MultiplyAdd(a5, b1, c51);
            TVector a6 = TLanes.Broadcast(Unsafe.Add(ref a, 6));
            c60 = TLanes.MultiplyAdd(a6, b0, c60);
            c61 = TLanes.MultiplyAdd(a6, b1, c61);
            TVector a7 = TLanes.Broadcast(Unsafe.Add(ref a, 7));
            c70 = TLanes.MultiplyAdd(a7, b0, c70);
            c71 = TLanes.MultiplyAdd(a7, b1, c71);
            TVector a8 = TLanes.Broadcast(Unsafe.Add(ref a, 8));
            c80 = TLanes.MultiplyAdd(a8, b0, c80);
            c81 = TLanes.MultiplyAdd(a8, b1, c81);
            TVector a9 = TLanes.Broadcast(Unsafe.Add(ref a, 9));
            c90 = TLanes.MultiplyAdd(a9, b0, c90);
            c91 = TLanes.MultiplyAdd(a9, b1, c91);
            TVector a10 = TLanes.Broadcast(Unsafe.Add(ref a, 10));
            c100 = TLanes.MultiplyAdd(a10, b0, c100);
            c101 = TLanes.MultiplyAdd(a10, b1, c101);
            TVector a11 = TLanes.Broadcast(Unsafe.Add(ref a, 11));
            c110 = TLanes.MultiplyAdd(a11, b0, c110);
            c111 = TLanes.MultiplyAdd(a11, b1, c111);
        }
        nint stride = ldc;
        WriteRow(c00, c01, ref Unsafe.Add(ref c, 0 * stride), width, addToC);
        WriteRow(c10, c11, ref Unsafe.Add(ref c, 1 * stride), width, addToC);
        WriteRow(c20, c21, ref Unsafe.Add(ref c, 2 * stride), width, addToC);
        WriteRow(c30, c31, ref Unsafe.Add(ref c, 3 * stride), width, addToC);
        WriteRow(c40, c41, ref Unsafe.Add(ref c, 4 * stride), width, addToC);
        WriteRow(c50, c51, ref Unsafe.Add(ref c, 5 * stride), width, addToC);
        WriteRow(c60, c61, ref Unsafe.Add(ref c, 6 * stride), width, addToC);
        WriteRow(c70, c71, ref Unsafe.Add(ref c, 7 * stride), width, addToC);
        WriteRow(c80, c81, ref Unsafe.Add(ref c, 8 * stride), width, addToC);
        WriteRow(c90, c91, ref Unsafe.Add(ref c, 9 * stride), width, addToC);
        WriteRow(c100, c101, ref Unsafe.Add(ref c, 10 * stride), width, addToC);
        WriteRow(c110, c111, ref Unsafe.Add(ref c, 11 * stride), width, addToC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRow(TVector low, TVector high, ref float row, nint width, bool addToC)
    {
        if (addToC)
        {
            low = TLanes.Add(TLanes.Load(ref row, 0), low);
            high = TLanes.Add(TLanes.Load(ref row, width), high);
        }
        TLanes.Store(low, ref row, 0);
        TLanes.Store(high, ref row, width);
    }
}
