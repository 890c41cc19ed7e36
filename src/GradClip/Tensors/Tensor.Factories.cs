namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>A new tensor of the given shape with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        Tensor result = Zeros(shape);
        result.Span.Fill(value);
        return result;
    }

    /// <summary>A new tensor of the given shape filled with ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A zero-dimensional tensor (shape <c>[]</c>) holding one value.</summary>
    public static Tensor Scalar(float value) => Wrap([value], []);

    /// <summary>A new tensor of elements drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>) by <paramref name="random"/>.</summary>
    public static Tensor Uniform(Random random, float low, float high, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        Tensor result = Zeros(shape);
        Span<float> values = result.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (high - low) * (float)random.NextDouble();
        }
        return result;
    }

    /// <summary>A new tensor of standard normal draws from <paramref name="random"/> (Box–Muller).</summary>
    public static Tensor Randn(Random random, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        Tensor result = Zeros(shape);
        Span<float> values = result.Span;
        for (int i = 0; i < values.Length; i++)
        {
            double u = 1.0 - random.NextDouble();
            double v = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v));
        }
        return result;
    }
}
