using GradClip.Tensors;

namespace GradClip.Optim;

/// <summary>
/// RMSprop (Hinton's lecture 6e) with optional momentum, centering and L2 weight decay, with PyTorch's
/// <c>torch.optim.RMSprop</c> update and defaults.
/// </summary>
/// <remarks>
/// Per element, with g the gradient plus λ·p and α the smoothing constant: s ← α·s + (1 − α)·g²; centered, also
/// a ← α·a + (1 − α)·g and the mean square becomes s − a²; d = √(mean square) + ε. Without momentum
/// p ← p − lr·g/d; with momentum μ, b ← μ·b + g/d (b starts at zero) and p ← p − lr·b.
/// </remarks>
public sealed class RmsProp : Optimizer
{
    private readonly RmsPropState?[] _states;

    /// <summary>Creates the optimizer; the defaults are PyTorch's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// α is outside [0, 1], or a rate, ε, momentum or weight decay is negative or NaN.
    /// </exception>
    public RmsProp(
        IEnumerable<Tensor> parameters,
        double learningRate = 1e-2,
        double alpha = 0.99,
        double epsilon = 1e-8,
        double weightDecay = 0,
        double momentum = 0,
        bool centered = false)
        : base(parameters, learningRate)
    {
        OptimArguments.RequireUnitInterval(alpha, nameof(alpha));
        OptimArguments.RequireNonNegative(epsilon, nameof(epsilon));
        OptimArguments.RequireNonNegative(weightDecay, nameof(weightDecay));
        OptimArguments.RequireNonNegative(momentum, nameof(momentum));
        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        _states = new RmsPropState?[Parameters.Count];
    }

    /// <summary>The smoothing constant α of the running averages.</summary>
    public double Alpha { get; }

    /// <summary>The ε added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 penalty λ: λ·p is added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>The momentum factor μ; 0 means no momentum buffer.</summary>
    public double Momentum { get; }

    /// <summary>Whether the gradient is normalized by an estimate of its variance rather than its raw second moment.</summary>
    public bool Centered { get; }

    /// <summary>The state of <paramref name="parameter"/>, or null before its first step with a gradient.</summary>
    public RmsPropState? StateOf(Tensor parameter) => _states[IndexOf(parameter)];

    /// <inheritdoc/>
    public override OptimizerState ExportState() => new(LearningRate, [.. _states.Select(s => s?.Copy())]);

    /// <inheritdoc/>
    public override void ImportState(OptimizerState state)
    {
        var states = ImportedStates<RmsPropState>(state, (s, length) => s.Fits(length, Centered, withMomentum: Momentum > 0));
        for (int i = 0; i < states.Length; i++)
        {
            _states[i] = states[i]?.Copy();
        }
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        RmsPropState state = _states[index] ??= new RmsPropState(parameter.Length, Centered, withMomentum: Momentum > 0);
        state.Advance(parameter, gradient, LearningRate, Alpha, Epsilon, WeightDecay, Momentum);
    }
}
