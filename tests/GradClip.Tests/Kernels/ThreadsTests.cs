using GradClip.Kernels;

namespace GradClip.Tests.Kernels;

public class ThreadsTests
{
    [Fact]
    public void Refuses_fewer_than_one_thread()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Threads.NumThreads = 0);
    }

    [Fact]
    public void A_large_product_gives_the_same_bits_on_one_thread_and_two()
    {
        const int m = 192, k = 160, n = 176;
        var random = new Random(5);
        float[] a = [.. Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] b = [.. Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble() - 0.5f)];
        var one = new float[m * n];
        var two = new float[m * n];
        int saved = Threads.NumThreads;
        try
        {
            Threads.NumThreads = 1;
            Gemm.Multiply(a.AsMemory(), b.AsMemory(), one.AsMemory(), m, k, n);
            Threads.NumThreads = 2;
            Gemm.Multiply(a.AsMemory(), b.AsMemory(), two.AsMemory(), m, k, n);
        }
        finally
        {
            Threads.NumThreads = saved;
        }

        Assert.Equal(one, two);
    }
}
