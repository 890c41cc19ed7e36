using GradClip.Tensors;

namespace GradClip.Optim;

/// <summary>
/// Updates a fixed list of parameters from their gradients, as a PyTorch <c>torch.optim.Optimizer</c> with one
/// parameter group: <see cref="Step"/> skips every parameter whose <see cref="Tensor.Grad"/> is null.
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;
    private double _learningRate;

    /// <summary>Takes the parameters, enumerated once, and the learning rate (≥ 0).</summary>
    /// <exception cref="ArgumentException">The list is empty, holds a null, or holds a tensor twice.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        RequireDistinctParameters(_parameters);
        OptimArguments.RequireNonNegative(learningRate, nameof(learningRate));
        _learningRate = learningRate;
        Parameters = Array.AsReadOnly(_parameters);
    }

    /// <summary>The parameters this optimizer updates, in the order it was given them.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate of the next <see cref="Step"/> (≥ 0); schedules change it between steps.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            OptimArguments.RequireNonNegative(value, nameof(value));
            _learningRate = value;
        }
    }

    /// <summary>
    /// Updates every parameter that has a gradient, in place, and counts the change in the parameter's version, so that
    /// clipping the same gradients afterwards is caught as a misuse.
    /// </summary>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor parameter = _parameters[i];
            if (parameter.Grad is { } gradient)
            {
                Update(i, parameter.Span, gradient.Span);
                parameter.BumpVersion();
            }
        }
    }

    /// <summary>
    /// Sets every parameter's gradient to null, as PyTorch's <c>zero_grad(set_to_none=True)</c>, with
    /// <see cref="Tensor.ZeroGrad"/>: gradients in a flat buffer are zeroed in place instead.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (Tensor parameter in _parameters)
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>A deep copy of the learning rate and of every parameter's state, for a checkpoint.</summary>
    public abstract OptimizerState ExportState();

    /// <summary>
    /// Replaces the learning rate and every parameter's state with copies of those in <paramref name="state"/>, as
    /// exported by an optimizer of the same kind and settings over parameters of the same sizes.
    /// </summary>
    /// <exception cref="ArgumentException">The state is of another optimizer kind, another parameter count, or other sizes or settings.</exception>
    public abstract void ImportState(OptimizerState state);

    /// <summary>
    /// Checks <paramref name="state"/> against this optimizer's parameters, sets the learning rate from it, and returns
    /// its per-parameter states (not yet copied); <paramref name="fits"/> tells whether a state fits a parameter of the given length.
    /// </summary>
    private protected TState?[] ImportedStates<TState>(OptimizerState state, Func<TState, int, bool> fits)
        where TState : ParameterState
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(state.Parameters, nameof(state));
        if (state.Parameters.Count != _parameters.Length)
        {
            throw new ArgumentException(
                $"The state holds {state.Parameters.Count} parameters, but this {GetType().Name} updates {_parameters.Length}.", nameof(state));
        }
        var states = new TState?[_parameters.Length];
        for (int i = 0; i < states.Length; i++)
        {
            states[i] = state.Parameters[i] switch
            {
                null => null,
                TState typed when fits(typed, _parameters[i].Count) => typed,
                TState typed => throw new ArgumentException(
                    $"The state of parameter {i} ({typed.Length} elements) does not fit {_parameters[i]} with this {GetType().Name}'s settings.",
                    nameof(state)),
                var other => throw new ArgumentException(
                    $"The state of parameter {i} is a {other.GetType().Name}, but a {GetType().Name} keeps {typeof(TState).Name}.", nameof(state)),
            };
        }
        LearningRate = state.LearningRate;
        return states;
    }

    /// <summary>Updates the parameter at <paramref name="index"/> in <see cref="Parameters"/> from its gradient.</summary>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>The position of <paramref name="parameter"/> in <see cref="Parameters"/>.</summary>
    /// <exception cref="ArgumentException">This optimizer does not update that tensor.</exception>
    protected int IndexOf(Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        int index = Array.IndexOf(_parameters, parameter);
        if (index < 0)
        {
            throw new ArgumentException($"{parameter} is not one of this optimizer's parameters.", nameof(parameter));
        }
        return index;
    }

    private static void RequireDistinctParameters(Tensor[] parameters)
    {
        if (parameters.Length == 0)
        {
            throw new ArgumentException("The optimizer got an empty parameter list.", nameof(parameters));
        }
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i] is null)
            {
                throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            }
            if (!seen.Add(parameters[i]))
            {
                throw new ArgumentException($"Parameter {i} ({parameters[i]}) appears more than once.", nameof(parameters));
            }
        }
    }
}
