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
