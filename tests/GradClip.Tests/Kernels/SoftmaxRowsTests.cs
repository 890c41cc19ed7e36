using GradClip.Kernels;

namespace GradClip.Tests.Kernels;

public class SoftmaxRowsTests
{
    private static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 8 - 4))];
    }

    /// <summary>softmax over the first <paramref name="kept"/> values of a row in double, zeros after them.</summary>
    private static double[] Reference(ReadOnlySpan<float> row, int kept)
    {
        var result = new double[row.Length];
        double max = double.NegativeInfinity;
        for (int j = 0; j < kept; j++)
        {
            max = Math.Max(max, row[j]);
        }
        double sum = 0;
        for (int j = 0; j < kept; j++)
        {
            sum += result[j] = Math.Exp(row[j] - max);
        }
        for (int j = 0; j < kept; j++)
        {
            result[j] /= sum;
        }
        return result;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rows_match_a_softmax_in_double_over_their_kept_columns(bool causal)
    {
        const int columns = 11;
        float[] x = Values(2 * columns * columns, 1);
        var y = new float[x.Length];

        SoftmaxRows.Forward(x, y, columns, causal);

        for (int row = 0; row < 2 * columns; row++)
        {
            double[] expected = Reference(x.AsSpan(row * columns, columns), causal ? row % columns + 1 : columns);
            for (int j = 0; j < columns; j++)
            {
                Assert.Equal(expected[j], y[row * columns + j], 1e-6);
            }
        }
    }

    [Fact]
    public void Backward_is_the_softmax_Jacobian_applied_to_the_output_gradient()
    {
        const int columns = 13;
        float[] x = Values(3 * columns, 2);
        float[] g = Values(3 * columns, 3);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        SoftmaxRows.Forward(x, y, columns, causal: false);

        SoftmaxRows.Backward(y, g, dx, columns);

        for (int row = 0; row < 3; row++)
        {
            double[] p = Reference(x.AsSpan(row * columns, columns), columns);
            for (int i = 0; i < columns; i++)
            {
                // dx_i = Σ_j g_j · ∂p_j/∂x_i = Σ_j g_j · p_j (δ_ij − p_i)
                double expected = 0;
                for (int j = 0; j < columns; j++)
                {
                    expected += g[row * columns + j] * p[j] * ((i == j ? 1 : 0) - p[i]);
                }
                Assert.Equal(expected, dx[row * columns + i], 1e-6);
            }
        }
    }

    [Fact]
    public void Log_softmax_and_its_backward_match_double_references()
    {
        const int columns = 9;
        float[] x = Values(4 * columns, 4);
        float[] g = Values(4 * columns, 5);
        var y = new float[x.Length];
        var dx = new float[x.Length];

        SoftmaxRows.LogForward(x, y, columns);
        SoftmaxRows.LogBackward(y, g, dx, columns);

        for (int row = 0; row < 4; row++)
        {
            double[] p = Reference(x.AsSpan(row * columns, columns), columns);
            double gradientSum = g.AsSpan(row * columns, columns).ToArray().Sum(v => (double)v);
            for (int i = 0; i < columns; i++)
            {
                Assert.Equal(Math.Log(p[i]), y[row * columns + i], 1e-5);
                Assert.Equal(g[row * columns + i] - p[i] * gradientSum, dx[row * columns + i], 1e-5);
            }
        }
    }
}
