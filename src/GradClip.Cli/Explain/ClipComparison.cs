using GradClip.Clipping;
using GradClip.Tensors;

namespace GradClip.Cli.Explain;

/// <summary>The same gradients clipped three ways — PyTorch's norm clipping, TensorFlow's, and by value — by the library itself.</summary>
/// <param name="Options">What the user asked for.</param>
/// <param name="PyTorch">The report of clipping by global norm with PyTorch's semantics.</param>
/// <param name="PyTorchClipped">The gradients after PyTorch's clipping, one array per tensor.</param>
/// <param name="TensorFlowNorm">TensorFlow's global norm (always L2).</param>
/// <param name="TensorFlowScale">TensorFlow's scale factor clip_norm · min(1 / norm, 1 / clip_norm).</param>
/// <param name="TensorFlowClipped">The gradients after TensorFlow's clip_by_global_norm.</param>
/// <param name="ValueClipped">The gradients after clipping by value, when a clip value was given.</param>
public sealed record ClipComparison(
    ExplainOptions Options,
    ClipReport PyTorch,
    float[][] PyTorchClipped,
    double TensorFlowNorm,
    double TensorFlowScale,
    float[][] TensorFlowClipped,
    float[][]? ValueClipped)
{
    /// <summary>Clips copies of the options' gradients each way.</summary>
    public static ClipComparison Of(ExplainOptions options)
    {
        var torch = Parameters(options.Gradients);
        var report = new ClipByGlobalNorm(options.MaxNorm, options.NormType).Apply(torch);
        var (tf, tfNorm) = Clip.ByGlobalNorm(options.Gradients.Select(g => (Tensor?)Tensor.FromArray(g)).ToArray(), options.MaxNorm);
        double tfScale = options.MaxNorm * Math.Min(1 / tfNorm, 1 / options.MaxNorm);
        float[][]? byValue = null;
        if (options.ClipValue is { } c)
        {
            var clamped = Parameters(options.Gradients);
            Clip.GradValue(clamped, c);
            byValue = GradientsOf(clamped);
        }
        return new ClipComparison(options, report, GradientsOf(torch), tfNorm, tfScale, tf.Select(t => t!.ToArray()).ToArray(), byValue);
    }

    /// <summary>The p-norm (the options' order) of a set of gradients.</summary>
    public double NormOf(IEnumerable<float[]> gradients) =>
        Clip.TotalNorm(gradients.Select(g => (Tensor?)Tensor.FromArray(g)), Options.NormType);

    private static Tensor[] Parameters(IReadOnlyList<float[]> gradients) =>
        gradients.Select((g, i) =>
        {
            var p = Tensor.Zeros(g.Length);
            p.Grad = Tensor.FromArray((float[])g.Clone());
            p.Name = $"g{i + 1}";
            return p;
        }).ToArray();

    private static float[][] GradientsOf(Tensor[] parameters) => parameters.Select(p => p.Grad!.ToArray()).ToArray();
}
