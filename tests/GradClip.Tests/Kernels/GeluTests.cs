using GradClip.Kernels;

namespace GradClip.Tests.Kernels;

public class GeluTests
{
    /// <summary>Φ(x) by Simpson's rule over the normal density in double (error far below 1e-10), independent of any erf approximation.</summary>
    private static double NormalCdf(double x)
    {
        const int intervals = 4000;
        double h = x / intervals;
        double sum = Density(0) + Density(x);
        for (int i = 1; i < intervals; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * Density(i * h);
        }
        return 0.5 + sum * h / 3;
    }

    private static double Density(double t) => Math.Exp(-0.5 * t * t) / Math.Sqrt(2 * Math.PI);

    private static float[] Inputs(int count) =>
        [.. Enumerable.Range(0, count).Select(i => (float)(-9.0 + 18.0 * i / (count - 1)))];

    [Theory]
    [InlineData(1001)]
    [InlineData(37)]
    [InlineData(5)]
    public void Forward_matches_x_times_the_normal_cdf(int count)
    {
        float[] x = Inputs(count);
        var y = new float[count];

        Gelu.Forward(x, y);

        for (int i = 0; i < count; i++)
        {
            double expected = x[i] * NormalCdf(x[i]);
            Assert.True(Math.Abs(y[i] - expected) <= 3e-7 * Math.Max(1, Math.Abs(x[i])), $"x = {x[i]}: {y[i]} against {expected}.");
        }
    }

    [Theory]
    [InlineData(1001)]
    [InlineData(37)]
    public void Backward_is_the_output_gradient_times_the_derivative(int count)
    {
        float[] x = Inputs(count);
        float[] g = [.. Enumerable.Range(0, count).Select(i => 0.5f + i % 3)];
        var dx = new float[count];

        Gelu.Backward(x, g, dx);

        for (int i = 0; i < count; i++)
        {
            double expected = g[i] * (NormalCdf(x[i]) + x[i] * Density(x[i]));
            Assert.True(Math.Abs(dx[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"x = {x[i]}: {dx[i]} against {expected}.");
        }
    }

    [Fact]
    public void Every_length_up_to_three_vectors_matches_the_reference()
    {
        for (int count = 0; count <= 25; count++)
        {
            float[] x = [.. Enumerable.Range(0, count).Select(i => (float)(-3.7 + 0.31 * i))];
            float[] g = [.. Enumerable.Range(0, count).Select(i => 1f - 0.1f * i)];
            var y = new float[count];
            var dx = new float[count];

            Gelu.Forward(x, y);
            Gelu.Backward(x, g, dx);

            for (int i = 0; i < count; i++)
            {
                double cdf = NormalCdf(x[i]);
                Assert.True(Math.Abs(y[i] - x[i] * cdf) <= 3e-7 * Math.Max(1, Math.Abs(x[i])), $"length {count}, x = {x[i]}: y {y[i]}.");
                double derivative = g[i] * (cdf + x[i] * Density(x[i]));
                Assert.True(Math.Abs(dx[i] - derivative) <= 1e-6 * Math.Max(1, Math.Abs(derivative)), $"length {count}, x = {x[i]}: dx {dx[i]}.");
            }
        }
    }

    [Fact]
    public void A_large_range_gives_the_same_bits_on_one_thread_and_two()
    {
        // 2^17 + 3 elements: shared with the worker thread, the last vector a partial one.
        float[] x = Inputs((1 << 17) + 3);
        float[] g = [.. Enumerable.Range(0, x.Length).Select(i => 0.5f + i % 7)];
        int saved = Threads.NumThreads;
        try
        {
            (float[] oneY, float[] oneDx) = Run(1);
            (float[] twoY, float[] twoDx) = Run(2);

            Assert.Equal(oneY, twoY);
            Assert.Equal(oneDx, twoDx);
            var spanY = new float[x.Length];
            Gelu.Forward(x.AsSpan(), spanY);
            Assert.Equal(spanY, twoY);
        }
        finally
        {
            Threads.NumThreads = saved;
        }

        (float[] Y, float[] Dx) Run(int threads)
        {
            Threads.NumThreads = threads;
            var y = new float[x.Length];
            var dx = new float[x.Length];
            Gelu.Forward(x.AsMemory(), y.AsMemory());
            Gelu.Backward(x.AsMemory(), g.AsMemory(), dx.AsMemory());
            return (y, dx);
        }
    }

    [Fact]
    public void Gives_the_same_bits_on_every_run_and_in_place()
    {
        float[] x = Inputs(777);
        var first = new float[777];
        var second = (float[])x.Clone();

        Gelu.Forward(x, first);
        Gelu.Forward(second, second);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Propagates_NaN()
    {
        var y = new float[3];

        Gelu.Forward([float.NaN, 1f, float.NaN], y);

        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[2]));
    }
}
