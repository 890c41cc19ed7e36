using GradClip.Clipping;
using GradClip.Tensors;

namespace GradClip.Adaptive;

/// <summary>
/// ZClip (Kumar, Owen, Roy Chowdhury and Güra, 2025, "ZClip: Adaptive Spike Mitigation for LLM Pre-Training"), in the
/// paper's default reciprocal mode: the total L2 gradient norm g is compared with an exponential moving average of its
/// mean μ and variance σ², and when its z-score z = (g − μ)/σ exceeds <see cref="ZThreshold"/> the gradients are clipped
/// by global norm to μ + z_thr²·σ/z, so that the larger the spike, the harder it is cut.
/// </summary>
/// <remarks>
/// <para>
/// Warm-up: the first <see cref="WarmupSteps"/> norms are only collected, nothing is clipped; μ and σ² then start as
/// their mean and population variance, as in the authors' reference implementation. Afterwards each step updates
/// μ ← α·μ + (1 − α)·g* and then σ² ← α·σ² + (1 − α)·(g* − μ)² with the new μ, where g* is the norm clipped to (the
/// raw norm when not clipped), so that a spike does not inflate the statistics that judge the next one.
/// </para>
/// <para>
/// σ = 0 (identical warm-up norms, or a warm-up of one step) leaves z undefined: no norm counts as a spike until the
/// EMA has seen a different norm. (The reference divides by σ + 10⁻⁶ instead, which clips any norm above μ to μ, and
/// to zero when the warm-up norms were all zero.) The reference's optional fixed cap, max_grad_norm, is a
/// <see cref="ClipByGlobalNorm"/> after this transform in a <see cref="Chain"/>.
/// </para>
/// <para>
/// A NaN or infinite norm never enters the statistics. After warm-up it is scaled as <see cref="ClipByGlobalNorm"/>
/// with max_norm μ would, PyTorch's propagation (NaN makes every gradient NaN, ∞ zeroes the finite entries); during
/// warm-up it is left alone. Put a <see cref="NonFiniteGuard"/> first to skip or repair such steps instead.
/// </para>
/// </remarks>
public sealed class ZClip : IGradientTransform
{
    private double _mean;
    private double _variance;

    /// <summary>
    /// Creates the transform: <paramref name="alpha"/> (the EMA's weight on the past) must lie in (0, 1),
    /// <paramref name="zThreshold"/> must be finite and &gt; 0, and <paramref name="warmupSteps"/> at least 1.
    /// </summary>
    public ZClip(double alpha = 0.97, double zThreshold = 2.5, int warmupSteps = 25)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha,
                $"alpha must lie strictly between 0 and 1, but was {ClipArguments.Text(alpha)}.");
        }
        ClipArguments.RequirePositiveFinite(zThreshold, nameof(zThreshold));
        if (warmupSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps,
                $"warmupSteps must be at least 1, but was {warmupSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
        Alpha = alpha;
        ZThreshold = zThreshold;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The EMA's weight on the past statistics (the paper's α).</summary>
    public double Alpha { get; }

    /// <summary>The z-score above which a norm counts as a spike and is clipped.</summary>
    public double ZThreshold { get; }

    /// <summary>How many finite norms are collected before clipping starts.</summary>
    public int WarmupSteps { get; }

    /// <summary>How many finite norms have entered the statistics, warm-up included.</summary>
    public int Steps { get; private set; }

    /// <summary>Whether the warm-up is over, so that spikes are clipped.</summary>
    public bool IsWarmedUp => Steps >= WarmupSteps;

    /// <summary>The mean μ of the norms: of those seen so far during warm-up, the EMA after it; NaN before the first.</summary>
    public double Mean => Steps == 0 ? double.NaN : _mean;

    /// <summary>The standard deviation σ of the norms, on the same terms as <see cref="Mean"/>.</summary>
    public double Std => Steps == 0 ? double.NaN : Math.Sqrt(_variance);

    /// <summary>The step count and the running statistics, for a checkpoint.</summary>
    public ZClipState ExportState() => new(Steps, _mean, _variance);

    /// <summary>Replaces the step count and the running statistics with those of <paramref name="state"/>, as exported earlier.</summary>
    /// <exception cref="ArgumentException">The step count is negative, the mean not finite, or the variance negative or not finite.</exception>
    public void ImportState(ZClipState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Steps < 0 || !double.IsFinite(state.Mean) || !(state.Variance >= 0 && double.IsFinite(state.Variance)))
        {
            throw new ArgumentException(
                $"ZClip's state needs steps ≥ 0, a finite mean and a finite variance ≥ 0, but has {state.Steps}, {ClipArguments.Text(state.Mean)} and {ClipArguments.Text(state.Variance)}.",
                nameof(state));
        }
        Steps = state.Steps;
        _mean = state.Mean;
        _variance = state.Variance;
    }

    /// <inheritdoc/>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        using var set = GradientSet.OfParameters(parameters);
        double before = set.MeasurePowerSums(2);
        return set.ScaleAndReport(before, Update(before), 2);
    }

    /// <summary>
    /// Takes one step's total L2 norm into the statistics and returns the coefficient the gradients are scaled by, without
    /// touching any gradient: what <see cref="Apply"/> does to the state, for a norm measured elsewhere (a logged run
    /// replayed, a sharded norm).
    /// </summary>
    public double Update(double totalNorm)
    {
        double? target = IsWarmedUp ? SpikeTarget(totalNorm) : null;
        double coefficient = target is { } clipTo ? Clip.Coefficient(clipTo, totalNorm) : 1;
        if (double.IsFinite(totalNorm))
        {
            Observe(target ?? totalNorm);
        }
        return coefficient;
    }

    /// <summary>
    /// The norm that <paramref name="norm"/> is clipped to: μ + z_thr²·σ/z for a spike, μ for a non-finite norm, and null
    /// when it is no spike (z ≤ z_thr, or σ = 0).
    /// </summary>
    private double? SpikeTarget(double norm)
    {
        if (!double.IsFinite(norm))
        {
            return _mean;
        }
        double std = Math.Sqrt(_variance);
        double z = (norm - _mean) / std;
        return std > 0 && z > ZThreshold ? _mean + ZThreshold * ZThreshold * std / z : null;
    }

    /// <summary>Folds a finite norm into the statistics: Welford's running mean and variance during warm-up, the EMA after.</summary>
    private void Observe(double norm)
    {
        if (IsWarmedUp)
        {
            _mean = Alpha * _mean + (1 - Alpha) * norm;
            _variance = Alpha * _variance + (1 - Alpha) * (norm - _mean) * (norm - _mean);
        }
        else
        {
            int count = Steps + 1;
            double delta = norm - _mean;
            _mean += delta / count;
            _variance += (delta * (norm - _mean) - _variance) / count;
        }
        Steps++;
    }
}
