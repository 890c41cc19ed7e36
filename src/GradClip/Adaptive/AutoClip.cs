using GradClip.Clipping;
using GradClip.Tensors;

namespace GradClip.Adaptive;

/// <summary>
/// AutoClip (Seetharaman, Wichern, Pardo and Le Roux, 2020, "AutoClip: Adaptive Gradient Clipping for Source Separation
/// Networks"): each step adds the total L2 gradient norm to the history of all norms seen, then clips by global norm, as
/// <see cref="ClipByGlobalNorm"/>, to the <see cref="Percentile"/>-th percentile of that history, the current norm included.
/// </summary>
/// <remarks>
/// The history keeps every norm, split at the percentile's rank into two heaps: 16 bytes a step (1.6 MB for 10⁵ steps),
/// an O(log n) insertion and an O(1) percentile lookup. A NaN or infinite norm is left out of the history so that it cannot poison later
/// thresholds; that step is scaled with PyTorch's propagation against the current threshold (NaN makes every gradient
/// NaN, ∞ zeroes the finite entries), and before any finite norm has been seen the threshold is NaN. Put a
/// <see cref="NonFiniteGuard"/> first to skip or repair such steps instead.
/// </remarks>
public sealed class AutoClip : IGradientTransform
{
    private readonly PercentileHistory _history;

    /// <summary>Creates the transform; <paramref name="percentile"/> must lie in [0, 100] (the paper's default is 10).</summary>
    public AutoClip(double percentile = 10)
    {
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile,
                $"percentile must be between 0 and 100, but was {ClipArguments.Text(percentile)}.");
        }
        Percentile = percentile;
        _history = new PercentileHistory(percentile);
    }

    /// <summary>The percentile p of the norm history that the gradients are clipped to.</summary>
    public double Percentile { get; }

    /// <summary>How many finite norms the history holds.</summary>
    public int HistoryCount => _history.Count;

    /// <summary>The max_norm used at the latest step: the p-th percentile of the history then (NaN before any finite norm).</summary>
    public double Threshold { get; private set; } = double.NaN;

    /// <summary>A copy of the norm history and the latest threshold, for a checkpoint.</summary>
    public AutoClipState ExportState() => new([.. _history.Values], Threshold);

    /// <summary>Replaces the history and threshold with those of <paramref name="state"/>, as exported earlier.</summary>
    /// <exception cref="ArgumentException">The history holds a non-finite norm or is not in ascending order.</exception>
    public void ImportState(AutoClipState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(state.History, nameof(state));
        for (int i = 0; i < state.History.Count; i++)
        {
            if (!double.IsFinite(state.History[i]) || (i > 0 && state.History[i] < state.History[i - 1]))
            {
                throw new ArgumentException(
                    $"The history must hold finite norms in ascending order, but entry {i} is {ClipArguments.Text(state.History[i])}.", nameof(state));
            }
        }
        _history.Replace(state.History);
        Threshold = state.Threshold;
    }

    /// <inheritdoc/>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        using var set = GradientSet.OfParameters(parameters);
        double before = set.MeasurePowerSums(2);
        return set.ScaleAndReport(before, Update(before), 2);
    }

    /// <summary>
    /// Takes one step's total L2 norm into the history (a finite one) and returns the coefficient the gradients are scaled
    /// by, without touching any gradient: what <see cref="Apply"/> does to the state, for a norm measured elsewhere (a
    /// logged run replayed, a sharded norm).
    /// </summary>
    public double Update(double totalNorm)
    {
        if (double.IsFinite(totalNorm))
        {
            _history.Add(totalNorm);
        }
        Threshold = _history.Percentile();
        return Clip.Coefficient(Threshold, totalNorm);
    }
}
