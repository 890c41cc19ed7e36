using GradClip.Tensors;

namespace GradClip.Autograd;

/// <summary>A recorded operation in the autograd graph: the op, the tensors it read, and its backward rule.</summary>
/// <remarks>
/// A Narrow node carries its <see cref="Slice"/> instead of a rule: backpropagation adds the gradient into that slice of
/// the source's pending gradient, so slicing every step of a long sequence costs time linear in its length, not quadratic.
/// </remarks>
public sealed class Node
{
    private readonly Func<Tensor, Tensor?[]>? _backward;
    private readonly Tensor[] _parents;

    internal Node(Op op, Tensor[] parents, Func<Tensor, Tensor?[]> backward)
    {
        Op = op;
        _parents = parents;
        Parents = Array.AsReadOnly(parents);
        _backward = backward;
    }

    internal Node(Tensor source, SliceRange slice)
    {
        Op = Op.Narrow;
        _parents = [source];
        Parents = Array.AsReadOnly(_parents);
        Slice = slice;
    }

    /// <summary>The primitive that produced the output.</summary>
    public Op Op { get; }

    /// <summary>The op's inputs, in argument order.</summary>
    public IReadOnlyList<Tensor> Parents { get; }

    /// <summary>For a Narrow node, where the output lies in its source; null for every other op.</summary>
    internal SliceRange? Slice { get; }

    /// <summary>The gradients for each parent (null for one that needs none), given the gradient of the output.</summary>
    internal Tensor?[] Backward(Tensor outputGradient)
    {
        if (_backward is null)
        {
            throw new InvalidOperationException($"The {Op} node has no backward rule; its gradient goes straight into a slice of its source.");
        }
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
