namespace GradClip.Autograd;

/// <summary>A recorded operation in the autograd graph: the op, the tensors it read, and its backward rule.</summary>
public sealed class Node
{
    private readonly Func<Tensor, Tensor?[]> _backward;
    private readonly Tensor[] _parents;

    internal Node(Op op, Tensor[] parents, Func<Tensor, Tensor?[]> backward)
    {
        Op = op;
        _parents = parents;
        Parents = Array.AsReadOnly(parents);
        _backward = backward;
    }

    /// <summary>The primitive that produced the output.</summary>
    public Op Op { get; }

    /// <summary>The op's inputs, in argument order.</summary>
    public IReadOnlyList<Tensor> Parents { get; }

    /// <summary>The gradients for each parent (null for one that needs none), given the gradient of the output.</summary>
    internal Tensor?[] Backward(Tensor outputGradient)
    {
        Tensor?[] gradients = _backward(outputGradient);
        if (gradients.Length != _parents.Length)
        {
            throw new InvalidOperationException($"The {Op} backward rule returned {gradients.Length} gradients for {_parents.Length} inputs.");
        }
        return gradients;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Op}Backward";
}
