using GradClip.Clipping;
using GradClip.Kernels;
using GradClip.Tensors;

namespace GradClip.Adaptive;

/// <summary>
/// Adaptive gradient clipping (Brock, De, Smith and Simonyan, 2021, "High-Performance Large-Scale Image Recognition
/// Without Normalization"): unit by unit, a gradient G_i whose norm exceeds <see cref="Clipping"/> times the norm of its
/// weights W_i is scaled to G_i ← λ·max(‖W_i‖, ε)/‖G_i‖·G_i, so that no step changes a unit's weights by more than the
/// fraction λ.
/// </summary>
/// <remarks>
/// <para>
/// A unit is one output unit: for a tensor of rank 2 or more, stored output-first as in PyTorch (Linear out×in, conv
/// out×in×kh×kw), each slice along the first axis (a Linear row, a conv filter); a tensor of rank 0 or 1 (a bias, a
/// gain) is one unit as a whole, as in the authors' NFNet reference, which takes the norm of the whole vector. The floor
/// ε keeps zero-initialized weights from freezing their gradients at zero.
/// </para>
/// <para>
/// The paper leaves the final classifier layer unclipped; name it in the exclusion so that its gradients pass as they
/// are. The report's norms are global L2 norms; the norm after is computed from the unit scalings, without a second
/// pass. A unit whose gradient or weights hold NaN is left alone; a gradient unit holding ∞ is scaled by 0 (its
/// finite entries become 0, the infinite ones NaN).
/// </para>
/// </remarks>
public sealed class Agc : IGradientTransform
{
    private readonly Func<string, bool> _exclude;

    /// <summary>
    /// Creates the transform: <paramref name="clipping"/> (λ) and <paramref name="epsilon"/> (ε) must be finite and &gt; 0;
    /// <paramref name="exclude"/>, when given, is asked about each parameter's report label (its name, or <c>#position</c>
    /// when unnamed) and leaves the parameters it answers true for unclipped, e.g. <c>name =&gt; name.StartsWith("head.")</c>.
    /// </summary>
    public Agc(double clipping = 0.01, double epsilon = 1e-3, Func<string, bool>? exclude = null)
    {
        ClipArguments.RequirePositiveFinite(clipping, nameof(clipping));
        ClipArguments.RequirePositiveFinite(epsilon, nameof(epsilon));
        Clipping = clipping;
        Epsilon = epsilon;
        _exclude = exclude ?? (_ => false);
    }

    /// <summary>The largest ratio λ of a unit's gradient norm to its weight norm.</summary>
    public double Clipping { get; }

    /// <summary>The floor ε under a unit's weight norm.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        using var set = GradientSet.OfParameters(parameters);
        double[] norms = new double[set.Buffers.Count];
        List<string>? nonFinite = null;
        double sumSquaresBefore = 0, sumSquaresAfter = 0;
        bool clipped = false;
        for (int i = 0; i < set.Buffers.Count; i++)
        {
            string label = set.LabelOf(i);
            var (before, after, scaled) = _exclude(label)
                ? Unchanged(set.Buffers[i].Span)
                : ClipUnits(set.Owners[i], set.Buffers[i].Span);
            norms[i] = Math.Sqrt(before);
            if (!double.IsFinite(before))
            {
                (nonFinite ??= []).Add(label);
            }
            sumSquaresBefore += before;
            sumSquaresAfter += after;
            clipped |= scaled;
        }
        double normBefore = Math.Sqrt(sumSquaresBefore), normAfter = Math.Sqrt(sumSquaresAfter);
        return new ClipReport(normBefore, normAfter, normBefore == 0 ? 1 : normAfter / normBefore, clipped,
            GradientMeasure.ByLabel(set, norms), nonFinite ?? [], SkipStep: false);
    }

    /// <summary>The sums of squares of an excluded gradient, which stays as it is.</summary>
    private static (double Before, double After, bool Scaled) Unchanged(ReadOnlySpan<float> gradient)
    {
        double sumSquares = Reductions.SumSquares(gradient);
        return (sumSquares, sumSquares, false);
    }

    /// <summary>Clips each unit of one parameter's gradient and returns its sums of squares before and after.</summary>
    private (double Before, double After, bool Scaled) ClipUnits(Tensor parameter, Span<float> gradient)
    {
        int units = parameter.Rank <= 1 ? 1 : parameter.Shape[0];
        int unitLength = units == 0 ? 0 : parameter.Count / units;
        ReadOnlySpan<float> weights = parameter.Span;
        double before = 0, after = 0;
        bool scaled = false;
        for (int u = 0; u < units; u++)
        {
            var unitGradient = gradient.Slice(u * unitLength, unitLength);
            double sumSquares = Reductions.SumSquares(unitGradient);
            double gradientNorm = Math.Sqrt(sumSquares);
            double weightNorm = Math.Sqrt(Reductions.SumSquares(weights.Slice(u * unitLength, unitLength)));
            double maxNorm = Clipping * Math.Max(weightNorm, Epsilon);
            before += sumSquares;
            if (gradientNorm > maxNorm)
            {
                double scale = maxNorm / gradientNorm;
                Updates.Scale(unitGradient, scale);
                after += sumSquares * scale * scale;
                scaled = true;
            }
            else
            {
                after += sumSquares;
            }
        }
        return (before, after, scaled);
    }
}
