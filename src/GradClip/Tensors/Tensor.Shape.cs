using System.Numerics.Tensors;
using GradClip.Autograd;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The axes reordered: result axis i is this tensor's axis <c>axes[i]</c>; a view when the reordering keeps the
    /// elements in place (only size-1 axes move, see <see cref="KeepsMemoryOrder"/>), else a copy.
    /// </summary>
    public Tensor Permute(params int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        int[] order = CheckPermutation(axes);
        if (KeepsMemoryOrder(order))
        {
            return Reshape([.. order.Select(axis => _shape[axis])]);
        }
        var strides = new int[Rank];
        var shape = new int[Rank];
        int[] contiguous = ContiguousStrides(_shape);
        for (int i = 0; i < Rank; i++)
        {
            shape[i] = _shape[order[i]];
            strides[i] = contiguous[order[i]];
        }
        Tensor result = Empty(shape);
        StridedCopy(Span, strides, result.Span, shape);
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            inverse[order[i]] = i;
        }
        return Record(result, Op.Permute, [this], g => [g.Permute(inverse)]);
    }

    /// <summary>Axes <paramref name="axis0"/> and <paramref name="axis1"/> swapped: a view when one of them has size 1, else a copy.</summary>
    public Tensor Transpose(int axis0, int axis1)
    {
        int a = NormalizeAxis(axis0);
        int b = NormalizeAxis(axis1);
        int[] order = Enumerable.Range(0, Rank).ToArray();
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>The tensors joined along <paramref name="axis"/>; all other axes must match.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int axis)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Cat needs at least one tensor.", nameof(tensors));
        }
        Tensor first = tensors[0];
        int a = first.NormalizeAxis(axis);
        int total = 0;
        foreach (Tensor t in tensors)
        {
            if (t.Rank != first.Rank || !t.WithAxisSize(a, 0).AsSpan().SequenceEqual(first.WithAxisSize(a, 0)))
            {
                throw new ArgumentException($"Cat along axis {axis} needs matching shapes apart from that axis, but got {first.ShapeText} and {t.ShapeText}.", nameof(tensors));
            }
            total += t._shape[a];
        }
        Tensor result = Empty(first.WithAxisSize(a, total));
        (int outer, _, int inner) = result.SplitAt(a);
        var offsets = new int[tensors.Count];
        int offset = 0;
        for (int k = 0; k < tensors.Count; k++)
        {
            offsets[k] = offset;
            int block = tensors[k]._shape[a] * inner;
            for (int o = 0; o < outer; o++)
            {
                tensors[k].Span.Slice(o * block, block).CopyTo(result.Span.Slice((o * total + offset) * inner));
            }
            offset += tensors[k]._shape[a];
        }
        Tensor[] parents = [.. tensors];
        return Record(result, Op.Cat, parents, g =>
        {
            var gradients = new Tensor?[parents.Length];
            for (int k = 0; k < parents.Length; k++)
            {
                gradients[k] = parents[k]._requiresGrad ? g.Narrow(a, offsets[k], parents[k]._shape[a]) : null;
            }
            return gradients;
        });
    }

    /// <summary>The tensors, all of one shape, stacked along a new axis <paramref name="axis"/>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return Cat(tensors.Select(t => t.Unsqueeze(axis)).ToArray(), axis);
    }

    /// <summary>Rows of the first axis picked by <paramref name="indices"/> (an embedding lookup); the backward scatter-adds.</summary>
    /// <remarks>Shape: this (V, d...) and n indices give (n, d...).</remarks>
    public Tensor IndexSelect(ReadOnlySpan<int> indices)
    {
        if (Rank == 0)
        {
            throw new InvalidOperationException("IndexSelect needs a tensor with at least one axis.");
        }
        int rows = _shape[0];
        int width = rows == 0 ? 0 : Count / rows;
        int[] picked = indices.ToArray();
        Tensor result = Empty(WithAxisSize(0, picked.Length));
        for (int i = 0; i < picked.Length; i++)
        {
            if ((uint)picked[i] >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {picked[i]} is outside the {rows} rows of shape {ShapeText}.");
            }
            Span.Slice(picked[i] * width, width).CopyTo(result.Span.Slice(i * width));
        }
        int[] inputShape = _shape;
        return Record(result, Op.IndexSelect, [this], g =>
        {
            Tensor gradient = Zeros(inputShape);
            for (int i = 0; i < picked.Length; i++)
            {
                Span<float> row = gradient.Span.Slice(picked[i] * width, width);
                TensorPrimitives.Add(row, g.Span.Slice(i * width, width), row);
            }
            return [gradient];
        });
    }

    private int[] CheckPermutation(int[] axes)
    {
        var order = new int[axes.Length];
        var seen = new bool[Rank];
        for (int i = 0; i < axes.Length && axes.Length == Rank; i++)
        {
            order[i] = axes[i] < 0 ? axes[i] + Rank : axes[i];
            if (order[i] < 0 || order[i] >= Rank || seen[order[i]])
            {
                break;
            }
            seen[order[i]] = true;
        }
        if (axes.Length != Rank || Array.Exists(seen, s => !s))
        {
            throw new ArgumentException($"Axes {Format(axes)} are not a permutation of the axes of shape {ShapeText}.", nameof(axes));
        }
        return order;
    }

    private static int[] ContiguousStrides(int[] shape)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }
}
