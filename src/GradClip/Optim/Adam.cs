namespace GradClip.Optim;

/// <summary>
/// Adam (Kingma and Ba, 2015) with optional L2 weight decay added to the gradient and the AMSGrad variant
/// (Reddi et al., 2018), with PyTorch's <c>torch.optim.Adam</c> update and defaults.
/// </summary>
/// <remarks>
/// With g the gradient plus λ·p and t the parameter's own step count: m ← β1·m + (1 − β1)·g,
/// v ← β2·v + (1 − β2)·g², p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε); with AMSGrad the running maximum
/// of v replaces v. ε is added after the bias-corrected square root, as PyTorch does. For weight decay that does
/// not pass through the moments, use <see cref="AdamW"/>.
/// </remarks>
public sealed class Adam : Optimizer
{
    private readonly AdamState?[] _states;

    /// <summary>Creates the optimizer; the defaults are PyTorch's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A beta is outside [0, 1), or a rate, ε or weight decay is negative or NaN.</exception>
    public Adam(
        IEnumerable<Tensor> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0,
        bool amsGrad = false)
        : base(parameters, learningRate)
    {
        OptimArguments.RequireBeta(beta1, nameof(beta1));
        OptimArguments.RequireBeta(beta2, nameof(beta2));
        OptimArguments.RequireNonNegative(epsilon, nameof(epsilon));
        OptimArguments.RequireNonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        AmsGrad = amsGrad;
        _states = new AdamState?[Parameters.Count];
    }

    /// <summary>The decay β1 of the first-moment average.</summary>
    public double Beta1 { get; }

    /// <summary>The decay β2 of the second-moment average.</summary>
    public double Beta2 { get; }

    /// <summary>The ε added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 penalty λ: λ·p is added to the gradient before the moments see it.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the denominator uses the running maximum of the second moment (AMSGrad).</summary>
    public bool AmsGrad { get; }

    /// <summary>The state of <paramref name="parameter"/>, or null before its first step with a gradient.</summary>
    public AdamState? StateOf(Tensor parameter) => _states[IndexOf(parameter)];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        AdamState state = _states[index] ??= new AdamState(parameter.Length, AmsGrad);
        state.Advance(parameter, gradient, LearningRate, Beta1, Beta2, Epsilon, WeightDecay);
    }
}
