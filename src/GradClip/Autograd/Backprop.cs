using System.Numerics.Tensors;
using Tensor = GradClip.Tensors.Tensor;

namespace GradClip.Autograd;

/// <summary>Reverse-mode differentiation: walks the graph under a root in reverse topological order, without recursion.</summary>
internal static class Backprop
{
    /// <summary>Accumulates d(root)/d(leaf), weighted by <paramref name="seed"/>, into the Grad of every leaf that requires grad.</summary>
    internal static void Run(Tensor root, Tensor seed)
    {
        List<Tensor> order = TopologicalOrder(root);
        var pending = new Dictionary<Tensor, PendingGradient>(ReferenceEqualityComparer.Instance)
        {
            [root] = new PendingGradient(seed, Owned: false),
        };
        using var noGrad = new NoGradScope();
        OpProfiler? profiler = OpProfiler.Current;
        profiler?.Mark();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            Tensor tensor = order[i];
            if (!pending.Remove(tensor, out PendingGradient gradient))
            {
                continue;
            }
            if (tensor.GradFn is { Slice: { } slice } narrow)
            {
                AccumulateSlice(narrow.Parents[0], slice, gradient.Gradient, pending);
            }
            else if (tensor.GradFn is { } node)
            {
                Propagate(node, gradient.Gradient, pending);
            }
            else
            {
                AccumulateIntoLeaf(tensor, gradient);
            }
            profiler?.Add(tensor.GradFn?.Op.ToString() ?? "AccumulateGrad", "backward");
        }
    }

    private static void Propagate(Node node, Tensor outputGradient, Dictionary<Tensor, PendingGradient> pending)
    {
        Tensor?[] gradients = node.Backward(outputGradient);
        for (int p = 0; p < gradients.Length; p++)
        {
            Tensor parent = node.Parents[p];
            Tensor? gradient = gradients[p];
            if (gradient is null || !parent.RequiresGrad)
            {
                continue;
            }
            if (!gradient.HasShapeOf(parent))
            {
                throw new InvalidOperationException(
                    $"The {node.Op} backward rule gave input {p} a gradient of shape {gradient.ShapeText}, but that input has shape {parent.ShapeText}.");
            }
            pending[parent] = pending.TryGetValue(parent, out PendingGradient existing)
                ? existing.Add(gradient)
                : new PendingGradient(gradient, Owned: false);
        }
    }

    /// <summary>Adds a Narrow output's gradient into its slice of the source's pending gradient, allocating that once.</summary>
    private static void AccumulateSlice(Tensor source, SliceRange slice, Tensor outputGradient, Dictionary<Tensor, PendingGradient> pending)
    {
        if (!source.RequiresGrad)
        {
            return;
        }
        PendingGradient target = pending.TryGetValue(source, out PendingGradient existing)
            ? existing.MakeOwned()
            : new PendingGradient(Tensor.Zeros([.. source.Shape]), Owned: true);
        int block = slice.Length * slice.Inner;
        for (int o = 0; o < slice.Outer; o++)
        {
            Span<float> destination = target.Gradient.Span.Slice((o * slice.Size + slice.Start) * slice.Inner, block);
            TensorPrimitives.Add(destination, outputGradient.Span.Slice(o * block, block), destination);
        }
        pending[source] = target;
    }

    private static void AccumulateIntoLeaf(Tensor leaf, PendingGradient gradient)
    {
        if (leaf.Grad is null)
        {
            leaf.Grad = gradient.Owned ? gradient.Gradient : gradient.Gradient.Clone();
        }
        else
        {
            TensorPrimitives.Add(leaf.Grad.Span, gradient.Gradient.Span, leaf.Grad.Span);
        }
        leaf.RecordGradVersion();
    }

    /// <summary>Every tensor under the root that requires grad, each after all of its parents (iterative post-order).</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { root };
        var stack = new Stack<(Tensor Tensor, int NextParent)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            (Tensor tensor, int nextParent) = stack.Pop();
            IReadOnlyList<Tensor>? parents = tensor.GradFn?.Parents;
            if (parents is not null && nextParent < parents.Count)
            {
                stack.Push((tensor, nextParent + 1));
                Tensor parent = parents[nextParent];
                if (parent.RequiresGrad && visited.Add(parent))
                {
                    stack.Push((parent, 0));
                }
            }
            else
            {
                order.Add(tensor);
            }
        }
        return order;
    }

    /// <summary>A gradient waiting to flow further; an owned one was allocated here and may be added to in place.</summary>
    private readonly record struct PendingGradient(Tensor Gradient, bool Owned)
    {
        public PendingGradient MakeOwned() => Owned ? this : new PendingGradient(Gradient.Clone(), Owned: true);

        public PendingGradient Add(Tensor other)
        {
            PendingGradient owned = MakeOwned();
            TensorPrimitives.Add(owned.Gradient.Span, other.Span, owned.Gradient.Span);
            return owned;
        }
    }
}
