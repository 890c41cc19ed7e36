using System.Numerics.Tensors;
using Tensor = GradClip.Tensors.Tensor;

namespace GradClip.Autograd;

/// <summary>Reverse-mode differentiation: walks the graph under a root in reverse topological order, without recursion.</summary>
internal static class Backprop
{
    /// <summary>Accumulates d(root)/d(leaf), weighted by <paramref name="seed"/>, into the Grad of every leaf that requires grad.</summary>
    /// <remarks>
    /// The intermediate gradients live in the thread's <see cref="GradientPool"/>: each goes back as soon as every pending
    /// gradient holding it has flowed on, and one held by a single pending gradient is added to in place.
    /// </remarks>
    internal static void Run(Tensor root, Tensor seed)
    {
        List<Tensor> order = TopologicalOrder(root);
        var pending = new Dictionary<Tensor, PendingGradient>(ReferenceEqualityComparer.Instance) { [root] = new(seed, Owned: false) };
        using var noGrad = new NoGradScope();
        GradientPool pool = GradientPool.Open();
        bool completed = false;
        try
        {
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
                    AccumulateSlice(narrow.Parents[0], slice, gradient.Gradient, pending, pool);
                    pool.Drop(gradient.Gradient);
                }
                else if (tensor.GradFn is { } node)
                {
                    Propagate(node, gradient.Gradient, pending, pool);
                    pool.Drop(gradient.Gradient);
                }
                else
                {
                    AccumulateIntoLeaf(tensor, gradient, pool);
                }
                profiler?.Add(tensor.GradFn?.Op.ToString() ?? "AccumulateGrad", "backward");
            }
            completed = true;
        }
        finally
        {
            pool.Close(completed);
        }
    }

    private static void Propagate(Node node, Tensor outputGradient, Dictionary<Tensor, PendingGradient> pending, GradientPool pool)
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
            if (pending.TryGetValue(parent, out PendingGradient existing))
            {
                PendingGradient sum = Writable(existing, pool);
                TensorPrimitives.Add(sum.Gradient.Span, gradient.Span, sum.Gradient.Span);
                pending[parent] = sum;
            }
            else
            {
                pool.Hold(gradient);
                pending[parent] = new PendingGradient(gradient, Owned: false);
            }
        }
        foreach (Tensor? gradient in gradients)
        {
            if (gradient is not null)
            {
                pool.ReleaseIfUnheld(gradient);
            }
        }
    }

    /// <summary>Adds a Narrow output's gradient into its slice of the source's pending gradient, allocating that once.</summary>
    private static void AccumulateSlice(Tensor source, SliceRange slice, Tensor outputGradient, Dictionary<Tensor, PendingGradient> pending, GradientPool pool)
    {
        if (!source.RequiresGrad)
        {
            return;
        }
        PendingGradient target;
        if (pending.TryGetValue(source, out PendingGradient existing))
        {
            target = Writable(existing, pool);
        }
        else
        {
            target = new PendingGradient(Tensor.EmptyLike(source), Owned: true);
            pool.Hold(target.Gradient);
        }
        int block = slice.Length * slice.Inner;
        for (int o = 0; o < slice.Outer; o++)
        {
            Span<float> destination = target.Gradient.Span.Slice((o * slice.Size + slice.Start) * slice.Inner, block);
            TensorPrimitives.Add(destination, outputGradient.Span.Slice(o * block, block), destination);
        }
        pending[source] = target;
    }

    /// <summary>
    /// <paramref name="pending"/> itself when its array is its own (a copy made here, or rented by this pass and held by
    /// nothing else), else a copy held in its place: a pending gradient that may be added to in place.
    /// </summary>
    private static PendingGradient Writable(PendingGradient pending, GradientPool pool)
    {
        if (pending.Owned || pool.IsExclusive(pending.Gradient))
        {
            return pending;
        }
        Tensor copy = Tensor.EmptyLike(pending.Gradient);
        pending.Gradient.Span.CopyTo(copy.Span);
        pool.Hold(copy);
        pool.Drop(pending.Gradient);
        return new PendingGradient(copy, Owned: true);
    }

    /// <summary>
    /// Adds into the leaf's Grad, or makes the gradient its Grad: the pass's own array when nothing else holds it and the
    /// gradient spans all of it (a view into a larger one, e.g. a slice of a concatenation's gradient, would keep the whole
    /// array alive), else a copy.
    /// </summary>
    private static void AccumulateIntoLeaf(Tensor leaf, PendingGradient pending, GradientPool pool)
    {
        Tensor gradient = pending.Gradient;
        if (leaf.Grad is not null)
        {
            TensorPrimitives.Add(leaf.Grad.Span, gradient.Span, leaf.Grad.Span);
            pool.Drop(gradient);
        }
        else if ((pending.Owned || pool.IsExclusive(gradient)) && gradient.Count == gradient.Storage.Length)
        {
            pool.Escape(gradient);
            leaf.Grad = gradient;
        }
        else
        {
            leaf.Grad = gradient.Clone();
            pool.Drop(gradient);
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

    /// <summary>A gradient waiting to flow further; an owned one was copied here, so only this entry holds its array.</summary>
    private readonly record struct PendingGradient(Tensor Gradient, bool Owned);
}
