using System.Numerics.Tensors;
using Tensor = GradClip.Tensors.Tensor;

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
public class Adam : Optimizer
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
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsGrad, decoupledWeightDecay: false)
    {
    }

    /// <summary>Creates the optimizer with the weight decay applied through the gradient (Adam) or to the parameter directly (AdamW).</summary>
    private protected Adam(
        IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
        bool amsGrad, bool decoupledWeightDecay)
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
        DecoupledWeightDecay = decoupledWeightDecay;
        _states = new AdamState?[Parameters.Count];
    }

    /// <summary>The decay β1 of the first-moment average.</summary>
    public double Beta1 { get; }

    /// <summary>The decay β2 of the second-moment average.</summary>
    public double Beta2 { get; }

    /// <summary>The ε added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>The weight decay λ: an L2 penalty added to the gradient, or with <see cref="DecoupledWeightDecay"/> a shrink of the parameter.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether weight decay multiplies the parameter by 1 − lr·λ before the step (AdamW) instead of entering the moments.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <summary>Whether the denominator uses the running maximum of the second moment (AMSGrad).</summary>
    public bool AmsGrad { get; }

    /// <summary>The state of <paramref name="parameter"/>, or null before its first step with a gradient.</summary>
    public AdamState? StateOf(Tensor parameter) => _states[IndexOf(parameter)];

    /// <inheritdoc/>
    public override OptimizerState ExportState() => new(LearningRate, [.. _states.Select(s => s?.Copy())]);

    /// <inheritdoc/>
    public override void ImportState(OptimizerState state)
    {
        var states = ImportedStates<AdamState>(state, (s, length) => s.Fits(length, AmsGrad));
        for (int i = 0; i < states.Length; i++)
        {
            _states[i] = states[i]?.Copy();
        }
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        AdamState state = _states[index] ??= new AdamState(parameter.Length, AmsGrad);
        if (DecoupledWeightDecay)
        {
            TensorPrimitives.Multiply(parameter, (float)(1 - LearningRate * WeightDecay), parameter);
        }
        state.Advance(parameter, gradient, LearningRate, Beta1, Beta2, Epsilon, DecoupledWeightDecay ? 0 : WeightDecay);
    }
}
