using GradClip.Tensors;

namespace GradClip.Tests.Autograd;

/// <summary>Compares backpropagated gradients with central finite differences of a randomly weighted sum of the output.</summary>
internal static class GradCheck
{
    /// <summary>Checks d(Σ wᵢ·outᵢ)/d(input) for every element of every input, with w fixed standard-normal weights.</summary>
    /// <remarks>
    /// The forward runs in float32; the weighted sum is taken in double, so the finite difference loses only the forward's
    /// own rounding (about 1e-7 relative), divided by 2h. With h = 1e-2 the truncation error is h²/6·f''' ≈ 2e-5·f'''.
    /// </remarks>
    public static void AssertGradients(Func<Tensor> forward, IReadOnlyList<Tensor> inputs, float h = 1e-2f, double atol = 1e-3, double rtol = 5e-3)
    {
        foreach (Tensor input in inputs)
        {
            input.RequiresGrad = true;
            input.Grad = null;
        }
        Tensor output = forward();
        Tensor weights = Tensor.Randn(new Random(1234), [.. output.Shape]);
        output.Backward(weights);

        for (int k = 0; k < inputs.Count; k++)
        {
            Tensor input = inputs[k];
            Assert.NotNull(input.Grad);
            for (int i = 0; i < input.Count; i++)
            {
                float saved = input[i];
                input[i] = saved + h;
                double plus = WeightedSum(forward, weights);
                input[i] = saved - h;
                double minus = WeightedSum(forward, weights);
                input[i] = saved;
                double numeric = (plus - minus) / (2.0 * h);
                double analytic = input.Grad![i];
                Assert.True(
                    Math.Abs(analytic - numeric) <= atol + rtol * Math.Abs(numeric),
                    $"Input {k} {input.ShapeText}, element {i}: backward gave {analytic}, finite differences {numeric}.");
            }
        }
    }

    /// <summary>Checks the gradients of <paramref name="op"/> with respect to each of <paramref name="inputs"/>.</summary>
    public static void AssertGradients(Func<Tensor[], Tensor> op, params Tensor[] inputs) =>
        AssertGradients(() => op(inputs), inputs);

    /// <summary>Uniform values in [low, high) from a seeded generator.</summary>
    public static Tensor Uniform(int seed, float low, float high, params int[] shape) =>
        Tensor.Uniform(new Random(seed), low, high, shape);

    /// <summary>Values in ±[0.5, 1.5) with random signs: well away from the kinks of Relu and Abs and the pole of 1/x at 0.</summary>
    public static Tensor AwayFromZero(int seed, params int[] shape)
    {
        var random = new Random(seed);
        Tensor t = Tensor.Zeros(shape);
        for (int i = 0; i < t.Count; i++)
        {
            float magnitude = 0.5f + (float)random.NextDouble();
            t[i] = random.Next(2) == 0 ? magnitude : -magnitude;
        }
        return t;
    }

    /// <summary>The values 0.1·(0..n−1) shuffled, so that maxima are unique and at least 0.1 apart.</summary>
    public static Tensor Distinct(int seed, params int[] shape)
    {
        Tensor t = Tensor.Zeros(shape);
        float[] values = Enumerable.Range(0, t.Count).Select(i => 0.1f * i).ToArray();
        new Random(seed).Shuffle(values);
        values.CopyTo(t.Span);
        return t;
    }

    private static double WeightedSum(Func<Tensor> forward, Tensor weights)
    {
        using var noGrad = Tensor.NoGrad();
        Tensor output = forward();
        double sum = 0;
        for (int i = 0; i < output.Count; i++)
        {
            sum += (double)weights[i] * output[i];
        }
        return sum;
    }
}
