using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// A layer or model: owns parameters and child modules, registered in order, as PyTorch's <c>nn.Module</c>.
/// Parameters are plain tensors with RequiresGrad set, so clipping and optimizers take <see cref="Parameters"/> directly.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Parameter)> _parameters = [];
    private readonly List<(string Name, Module Module)> _children = [];

    // Registrations made by any module, so that a cached parameter array knows when a descendant has changed.
    private static int _registrations;
    private Tensor[]? _parameterCache;
    private int _parameterCacheStamp;

    /// <summary>Whether the module is in training mode (dropout active); true until <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Every parameter of this module and its children, in registration order, each once.</summary>
    /// <remarks>
    /// An array (no names built), which clipping walks as a span. It is collected once and kept until a module anywhere
    /// registers something new, so a training loop that asks every step does not rebuild it.
    /// </remarks>
    public IEnumerable<Tensor> Parameters()
    {
        int registrations = Volatile.Read(ref _registrations);
        if (_parameterCache is null || _parameterCacheStamp != registrations)
        {
            var result = new List<Tensor>();
            CollectParameters(result, new HashSet<Tensor>(ReferenceEqualityComparer.Instance));
            _parameterCache = [.. result];
            _parameterCacheStamp = registrations;
        }
        return _parameterCache;
    }

    /// <summary>Every parameter with its hierarchical name (e.g. <c>layers.0.weight</c>), in registration order, each once.</summary>
    public IReadOnlyList<(string Name, Tensor Parameter)> NamedParameters()
    {
        var result = new List<(string Name, Tensor Parameter)>();
        CollectParameters("", result, new HashSet<Tensor>(ReferenceEqualityComparer.Instance));
        return result;
    }

    /// <summary>The direct children with their names, in registration order.</summary>
    public IReadOnlyList<(string Name, Module Module)> NamedChildren() => _children.AsReadOnly();

    /// <summary>Puts this module and every child in training mode.</summary>
    public void Train() => SetTraining(true);

    /// <summary>Puts this module and every child in evaluation mode.</summary>
    public void Eval() => SetTraining(false);

    /// <summary>Drops the gradient of every parameter (Grad becomes null, as PyTorch's default).</summary>
    public void ZeroGrad()
    {
        foreach (Tensor parameter in Parameters())
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>Registers <paramref name="parameter"/> under <paramref name="name"/>, makes it require grad and names it.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckNewName(name);
        parameter.RequiresGrad = true;
        parameter.Name = name;
        _parameters.Add((name, parameter));
        Interlocked.Increment(ref _registrations);
        return parameter;
    }

    /// <summary>Registers a child under <paramref name="name"/> and renames all parameters to their hierarchical names.</summary>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName(name);
        _children.Add((name, module));
        Interlocked.Increment(ref _registrations);
        foreach ((string fullName, Tensor parameter) in NamedParameters())
        {
            parameter.Name = fullName;
        }
        return module;
    }

    private void CollectParameters(string prefix, List<(string Name, Tensor Parameter)> result, HashSet<Tensor> seen)
    {
        foreach ((string name, Tensor parameter) in _parameters)
        {
            if (seen.Add(parameter))
            {
                result.Add((prefix + name, parameter));
            }
        }
        foreach ((string name, Module child) in _children)
        {
            child.CollectParameters(prefix + name + ".", result, seen);
        }
    }

    private void CollectParameters(List<Tensor> result, HashSet<Tensor> seen)
    {
        foreach ((_, Tensor parameter) in _parameters)
        {
            if (seen.Add(parameter))
            {
                result.Add(parameter);
            }
        }
        foreach ((_, Module child) in _children)
        {
            child.CollectParameters(result, seen);
        }
    }

    private void SetTraining(bool training)
    {
        IsTraining = training;
        foreach ((_, Module child) in _children)
        {
            child.SetTraining(training);
        }
    }

    private void CheckNewName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Name '{name}' must not contain '.', which separates levels.", nameof(name));
        }
        if (_parameters.Exists(p => p.Name == name) || _children.Exists(c => c.Name == name))
        {
            throw new ArgumentException($"Name '{name}' is already registered in {GetType().Name}.", nameof(name));
        }
    }
}
