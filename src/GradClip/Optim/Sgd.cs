using System.Globalization;
using GradClip.Tensors;

namespace GradClip.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, with
/// PyTorch's <c>torch.optim.SGD</c> update and defaults.
/// </summary>
/// <remarks>
/// Per element, with g the gradient (negated when <see cref="Maximize"/>), λ the weight decay, μ the momentum and
/// τ the dampening: d = g + λ·p; b = d on the first step, then b = μ·b + (1 − τ)·d; the direction is d + μ·b with
/// Nesterov, b otherwise (d when μ = 0); p ← p − lr·direction.
/// </remarks>
public sealed class Sgd : Optimizer
{
    private readonly SgdState?[] _states;

    /// <summary>Creates the optimizer; the defaults are PyTorch's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate, momentum or weight decay is negative or NaN.</exception>
    /// <exception cref="ArgumentException">Nesterov is asked for without momentum or with dampening.</exception>
    public Sgd(
        IEnumerable<Tensor> parameters,
        double learningRate = 1e-3,
        double momentum = 0,
        double dampening = 0,
        double weightDecay = 0,
        bool nesterov = false,
        bool maximize = false)
        : base(parameters, learningRate)
    {
        OptimArguments.RequireNonNegative(momentum, nameof(momentum));
        OptimArguments.RequireNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Nesterov momentum needs momentum > 0 and dampening 0; got momentum {momentum}, dampening {dampening}."),
                nameof(nesterov));
        }
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        Maximize = maximize;
        _states = new SgdState?[Parameters.Count];
    }

    /// <summary>The momentum factor μ; 0 means plain gradient descent and no state.</summary>
    public double Momentum { get; }

    /// <summary>The dampening τ: the new direction enters the momentum buffer scaled by 1 − τ.</summary>
    public double Dampening { get; }

    /// <summary>The L2 penalty λ: λ·p is added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the step uses Nesterov momentum (d + μ·b instead of b).</summary>
    public bool Nesterov { get; }

    /// <summary>Whether the step climbs the objective instead of descending it.</summary>
    public bool Maximize { get; }

    /// <summary>The momentum state of <paramref name="parameter"/>, or null before its first step with a gradient or without momentum.</summary>
    public SgdState? StateOf(Tensor parameter) => _states[IndexOf(parameter)];

    /// <inheritdoc/>
    public override OptimizerState ExportState() => new(LearningRate, [.. _states.Select(s => s?.Copy())]);

    /// <inheritdoc/>
    /// <remarks>Without momentum SGD keeps no state, so every parameter's state must be null.</remarks>
    public override void ImportState(OptimizerState state)
    {
        var states = ImportedStates<SgdState>(state, (s, length) => Momentum > 0 && s.Length == length);
        for (int i = 0; i < states.Length; i++)
        {
            _states[i] = states[i]?.Copy();
        }
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        if (Momentum == 0)
        {
            Descend(parameter, gradient);
            return;
        }
        bool firstStep = _states[index] is null;
        SgdState state = _states[index] ??= new SgdState(parameter.Length);
        DescendWithMomentum(parameter, gradient, state.WritableMomentumBuffer, firstStep);
    }

    private void Descend(Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        float learningRate = (float)LearningRate;
        for (int i = 0; i < parameter.Length; i++)
        {
            parameter[i] -= learningRate * Direction(gradient[i], parameter[i]);
        }
    }

    /// <summary>On the first step the buffer starts as the direction itself, undamped, as in PyTorch.</summary>
    private void DescendWithMomentum(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> buffer, bool firstStep)
    {
        float learningRate = (float)LearningRate;
        float momentum = (float)Momentum;
        float undamped = (float)(1 - Dampening);
        for (int i = 0; i < parameter.Length; i++)
        {
            float direction = Direction(gradient[i], parameter[i]);
            buffer[i] = firstStep ? direction : buffer[i] * momentum + undamped * direction;
            parameter[i] -= learningRate * (Nesterov ? direction + momentum * buffer[i] : buffer[i]);
        }
    }

    private float Direction(float gradient, float parameter) =>
        (Maximize ? -gradient : gradient) + (float)WeightDecay * parameter;
}
