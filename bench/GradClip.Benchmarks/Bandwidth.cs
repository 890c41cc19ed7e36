using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GradClip.Kernels;

namespace GradClip.Benchmarks;

/// <summary>
/// What the machine's memory can do: a read pass and a read+write pass over one buffer, vectorized, on two threads (the
/// caller and the kernels' worker thread, so that dispatch costs what it costs the kernels). No double accumulation, no
/// blocks, no tails worth the name: the fastest loop that touches every byte.
/// </summary>
internal static class Bandwidth
{
    private static readonly HalfJob s_job = new();

    /// <summary>Σx over <paramref name="data"/>, half on each thread.</summary>
    public static float Read(float[] data) => Run(data, write: false);

    /// <summary>x ← x · 1 over <paramref name="data"/> in place, half on each thread.</summary>
    public static void ReadWrite(float[] data) => Run(data, write: true);

    private static float Run(float[] data, bool write)
    {
        var worker = PairWorker.Shared;
        if (!worker.TryAcquire(wake: true))
        {
            throw new InvalidOperationException("The worker is busy.");
        }
        int half = data.Length / 2 & ~63;
        s_job.Data = data;
        s_job.Start = half;
        s_job.Write = write;
        worker.Post(s_job);
        float first = Pass(data.AsSpan(0, half), write);
        worker.Complete();
        float second = s_job.Result;
        worker.Release();
        return first + second;
    }

    private static float Pass(Span<float> x, bool write)
    {
        if (write)
        {
            ScaleByOne(x);
            return 0;
        }
        return Sum(x);
    }

    private static float Sum(ReadOnlySpan<float> x)
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a = default, b = default, c = default, d = default;
            for (; i + 64 <= n; i += 64)
            {
                a += Vector512.LoadUnsafe(ref r, i);
                b += Vector512.LoadUnsafe(ref r, i + 16);
                c += Vector512.LoadUnsafe(ref r, i + 32);
                d += Vector512.LoadUnsafe(ref r, i + 48);
            }
            return Vector512.Sum(a + b + c + d) + Rest(x, (int)i);
        }
        else
        {
            Vector256<float> a = default, b = default, c = default, d = default;
            for (; i + 32 <= n; i += 32)
            {
                a += Vector256.LoadUnsafe(ref r, i);
                b += Vector256.LoadUnsafe(ref r, i + 8);
                c += Vector256.LoadUnsafe(ref r, i + 16);
                d += Vector256.LoadUnsafe(ref r, i + 24);
            }
            return Vector256.Sum(a + b + c + d) + Rest(x, (int)i);
        }
    }

    private static float Rest(ReadOnlySpan<float> x, int from)
    {
        float s = 0;
        foreach (float v in x[from..])
        {
            s += v;
        }
        return s;
    }

    private static void ScaleByOne(Span<float> x)
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512.Create(1f);
            for (; i + 32 <= n; i += 32)
            {
                (Vector512.LoadUnsafe(ref r, i) * one).StoreUnsafe(ref r, i);
                (Vector512.LoadUnsafe(ref r, i + 16) * one).StoreUnsafe(ref r, i + 16);
            }
        }
        else
        {
            var one = Vector256.Create(1f);
            for (; i + 32 <= n; i += 32)
            {
                (Vector256.LoadUnsafe(ref r, i) * one).StoreUnsafe(ref r, i);
                (Vector256.LoadUnsafe(ref r, i + 8) * one).StoreUnsafe(ref r, i + 8);
                (Vector256.LoadUnsafe(ref r, i + 16) * one).StoreUnsafe(ref r, i + 16);
                (Vector256.LoadUnsafe(ref r, i + 24) * one).StoreUnsafe(ref r, i + 24);
            }
        }
        for (; i < n; i++)
        {
            x[(int)i] *= 1;
        }
    }

    private sealed class HalfJob : PairJob
    {
        public float[] Data = [];
        public int Start;
        public bool Write;
        public float Result;

        public override void RunSecondHalf() => Result = Pass(Data.AsSpan(Start), Write);
    }
}
