namespace GradClip.Tests.Nn;

/// <summary>A plain gradient-descent update for the learning tests (the optimizers live elsewhere).</summary>
internal static class GradientDescent
{
    public static void Step(IEnumerable<Tensor> parameters, float learningRate)
    {
        foreach (Tensor p in parameters)
        {
            if (p.Grad is null)
            {
                continue;
            }
            Span<float> values = p.Span;
            ReadOnlySpan<float> gradient = p.Grad.Span;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] -= learningRate * gradient[i];
            }
        }
    }
}
