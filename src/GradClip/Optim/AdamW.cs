using System.Numerics.Tensors;

namespace GradClip.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019), with PyTorch's <c>torch.optim.AdamW</c> update
/// and defaults: the parameter first shrinks by the factor 1 − lr·λ, then takes an <see cref="Adam"/> step on the
/// raw gradient, so the decay never enters the moments.
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly AdamState?[] _states;

    /// <summary>Creates the optimizer; the defaults are PyTorch's, weight decay 0.01 included.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A beta is outside [0, 1), or a rate, ε or weight decay is negative or NaN.</exception>
    public AdamW(
        IEnumerable<Tensor> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 1e-2,
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

    /// <summary>The decoupled decay λ: each step multiplies the parameter by 1 − lr·λ before the Adam step.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the denominator uses the running maximum of the second moment (AMSGrad).</summary>
    public bool AmsGrad { get; }

    /// <summary>The state of <paramref name="parameter"/>, or null before its first step with a gradient.</summary>
    public AdamState? StateOf(Tensor parameter) => _states[IndexOf(parameter)];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        TensorPrimitives.Multiply(parameter, (float)(1 - LearningRate * WeightDecay), parameter);
        AdamState state = _states[index] ??= new AdamState(parameter.Length, AmsGrad);
        state.Advance(parameter, gradient, LearningRate, Beta1, Beta2, Epsilon, l2WeightDecay: 0);
    }
}
