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

    /// <summary>Updates every parameter that has a gradient, in place.</summary>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor parameter = _parameters[i];
            if (parameter.Grad is { } gradient)
            {
                Update(i, parameter.Span, gradient.Span);
            }
        }
    }

    /// <summary>Sets every parameter's gradient to null, as PyTorch's <c>zero_grad(set_to_none=True)</c>.</summary>
    public void ZeroGrad()
    {
        foreach (Tensor parameter in _parameters)
        {
            parameter.Grad = null;
        }
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
