using GradClip.Clipping;
using GradClip.Kernels;
using GradClip.Tensors;

namespace GradClip;

/// <summary>
/// Gradient clipping with PyTorch's semantics (<c>torch.nn.utils.clip_grad_*</c>, in place on parameters' gradients)
/// and TensorFlow's (<c>tf.clip_by_*</c>, functional), with the argument checks both leave out.
/// </summary>
/// <remarks>
/// Norms are accumulated in double (float blocks folded into double sums, a block that could overflow redone in double),
/// so float32 gradients near 1e20 give their true finite norm where PyTorch's float32 accumulation overflows to ∞ and
/// then zeroes every gradient. Arguments that PyTorch accepts silently but that corrupt
/// training (a negative max_norm flips every gradient's sign) are rejected.
/// </remarks>
public static class Clip
{
    /// <summary>PyTorch's epsilon in the clip coefficient: it keeps the division finite when the norm is zero.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>
    /// PyTorch's <c>clip_grad_norm_</c>: scales every parameter's gradient in place so that their total p-norm is at most
    /// <paramref name="maxNorm"/>, and returns the total norm measured before clipping (0 when no parameter has a gradient).
    /// </summary>
    /// <remarks>
    /// A NaN total makes every gradient NaN and an infinite total zeroes the finite entries (∞ · 0 is NaN), exactly as PyTorch,
    /// unless <paramref name="errorIfNonfinite"/> is set: then it throws <see cref="NonFiniteGradientException"/> naming the
    /// first parameter holding NaN or ±∞, before touching anything.
    /// </remarks>
    public static double GradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ClipArguments.RequirePositiveFinite(maxNorm, nameof(maxNorm));
        ClipArguments.RequireNormType(normType, nameof(normType));
        using var set = GradientSet.OfParameters(parameters);
        double total = set.MeasureTotalNorm(normType);
        if (errorIfNonfinite && !double.IsFinite(total))
        {
            throw NonFiniteReport.Exception(set, normType, total,
                "To scale by the non-finite norm anyway, as PyTorch does by default, pass errorIfNonfinite: false.");
        }
        set.Scale(Coefficient(maxNorm, total));
        return total;
    }

    /// <summary>
    /// PyTorch's <c>get_total_norm</c>: the p-norm of the per-tensor p-norms of <paramref name="gradients"/> (null entries
    /// skipped, 0 when there are none); p = +∞ gives max |g|. The first half of <see cref="GradNorm"/>.
    /// </summary>
    public static double TotalNorm(IEnumerable<Tensor?> gradients, double normType = 2)
    {
        ClipArguments.RequireNormType(normType, nameof(normType));
        using var set = GradientSet.OfGradients(gradients);
        return set.MeasureTotalNorm(normType);
    }

    /// <summary>
    /// PyTorch's <c>clip_grads_with_norm_</c>: scales the parameters' gradients in place by min(1, maxNorm / (totalNorm + 1e-6)).
    /// The second half of <see cref="GradNorm"/>; sharded training reduces the norm between the two.
    /// </summary>
    public static void GradsWithNorm(IEnumerable<Tensor> parameters, double maxNorm, double totalNorm)
    {
        ClipArguments.RequirePositiveFinite(maxNorm, nameof(maxNorm));
        ClipArguments.RequireNonNegativeNorm(totalNorm, nameof(totalNorm));
        using var set = GradientSet.OfParameters(parameters);
        set.Scale(Coefficient(maxNorm, totalNorm));
    }

    /// <summary>PyTorch's <c>clip_grad_value_</c>: clamps every gradient element in place to [-clipValue, clipValue]; NaN stays NaN.</summary>
    public static void GradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ClipArguments.RequirePositiveFinite(clipValue, nameof(clipValue));
        using var set = GradientSet.OfParameters(parameters);
        float bound = (float)clipValue;
        MultiTensor.Clamp(set.Ranges, -bound, bound);
    }

    /// <summary>
    /// TensorFlow's <c>clip_by_global_norm</c>: returns copies of <paramref name="tensors"/> scaled by
    /// clipNorm · min(1 / norm, 1 / clipNorm) (no epsilon) and the global L2 norm; inputs are untouched, null entries stay
    /// null, and a NaN or infinite norm makes every output NaN, as in TensorFlow.
    /// </summary>
    /// <param name="tensors">The tensors to clip; null entries are allowed.</param>
    /// <param name="clipNorm">The largest global norm allowed.</param>
    /// <param name="useNorm">A global norm computed elsewhere, used instead of measuring; it is also what is returned.</param>
    public static (Tensor?[] Clipped, double GlobalNorm) ByGlobalNorm(IReadOnlyList<Tensor?> tensors, double clipNorm, double? useNorm = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ClipArguments.RequirePositiveFinite(clipNorm, nameof(clipNorm));
        if (useNorm is { } given)
        {
            ClipArguments.RequireNonNegativeNorm(given, nameof(useNorm));
        }
        double norm = useNorm ?? GlobalNorm(tensors);
        double scale = double.IsFinite(norm) ? clipNorm * Math.Min(1 / norm, 1 / clipNorm) : double.NaN;
        var clipped = new Tensor?[tensors.Count];
        for (int i = 0; i < clipped.Length; i++)
        {
            clipped[i] = tensors[i] is { } t ? ScaledCopy(t, scale) : null;
        }
        return (clipped, norm);
    }

    /// <summary>
    /// TensorFlow's <c>clip_by_norm</c> over the whole tensor: a copy scaled by clipNorm / max(‖t‖₂, clipNorm), so that its
    /// L2 norm is at most <paramref name="clipNorm"/>; NaN in the norm makes the copy NaN.
    /// </summary>
    public static Tensor ByNorm(Tensor t, double clipNorm)
    {
        ArgumentNullException.ThrowIfNull(t);
        ClipArguments.RequirePositiveFinite(clipNorm, nameof(clipNorm));
        double norm = Math.Sqrt(Reductions.SumSquares(t.Span));
        return ScaledCopy(t, clipNorm / Math.Max(norm, clipNorm));
    }

    /// <summary>TensorFlow's <c>clip_by_value</c>: a copy with every element clamped to [min, max]; NaN stays NaN.</summary>
    public static Tensor ByValue(Tensor t, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (double.IsNaN(min) || double.IsNaN(max) || min > max)
        {
            throw new ArgumentOutOfRangeException(nameof(min), min,
                $"min must not exceed max and neither may be NaN, but min was {ClipArguments.Text(min)} and max {ClipArguments.Text(max)}.");
        }
        var copy = NamedCopy(t);
        Updates.Clamp(copy.Span, (float)min, (float)max);
        return copy;
    }

    /// <summary>TensorFlow's <c>global_norm</c>: the L2 norm of all the tensors' elements together; null entries are skipped.</summary>
    public static double GlobalNorm(IReadOnlyList<Tensor?> tensors) => TotalNorm(tensors, 2);

    /// <summary>
    /// PyTorch's clip coefficient min(1, maxNorm / (total + 1e-6)). NaN passes through (Math.Min propagates it), so a NaN
    /// total poisons every gradient exactly as in PyTorch instead of being silently ignored.
    /// </summary>
    internal static double Coefficient(double maxNorm, double total) => Math.Min(1.0, maxNorm / (total + Epsilon));

    private static Tensor ScaledCopy(Tensor t, double scale)
    {
        var copy = NamedCopy(t);
        if (scale != 1.0)
        {
            Updates.Scale(copy.Span, scale);
        }
        return copy;
    }

    private static Tensor NamedCopy(Tensor t)
    {
        var copy = t.Clone();
        copy.Name = t.Name;
        return copy;
    }
}
