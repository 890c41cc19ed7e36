using GradClip.Kernels;

namespace GradClip.Tests.Kernels;

public class ActivationGradientsTests
{
    public static TheoryData<int> Lengths => [1, 7, 8, 9, 31, 64, 100];

    private static (float[] Values, float[] Gradients) Data(int length)
    {
        var random = new Random(length);
        float[] values = [.. Enumerable.Range(0, length).Select(i => i % 5 == 0 ? 0f : (float)(random.NextDouble() * 2 - 1))];
        float[] gradients = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 4 - 2))];
        return (values, gradients);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_element_equals_the_scalar_rule_to_the_bit(int length)
    {
        (float[] x, float[] g) = Data(length);
        var relu = new float[length];
        var tanh = new float[length];
        var sigmoid = new float[length];

        ActivationGradients.Relu(x, g, relu);
        ActivationGradients.Tanh(x, g, tanh);
        ActivationGradients.Sigmoid(x, g, sigmoid);

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(x[i] > 0f ? g[i] : 0f, relu[i]);
            Assert.Equal(g[i] * (1f - x[i] * x[i]), tanh[i]);
            Assert.Equal(g[i] * x[i] * (1f - x[i]), sigmoid[i]);
        }
    }

    [Fact]
    public void ReLU_passes_no_gradient_at_NaN()
    {
        var dx = new float[1];

        ActivationGradients.Relu([float.NaN], [1f], dx);

        Assert.Equal(0f, dx[0]);
    }
}
