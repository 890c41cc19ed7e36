using System.Numerics.Tensors;
using GradClip.Autograd;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>The same elements (shared, as a PyTorch view) under a new shape; one dimension may be −1 to be inferred.</summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] target = ResolveShape(shape);
        if (HasShape(target))
        {
            return this;
        }
        int[] inputShape = _shape;
        return Record(ViewOf(this, target), Op.Reshape, [this], g => [g.Reshape(inputShape)]);
    }

    /// <summary>A size-1 axis inserted at <paramref name="axis"/> (which may equal the rank, or be negative as in PyTorch).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for inserting into shape {ShapeText}.");
        }
        var shape = new List<int>(_shape);
        shape.Insert(a, 1);
        return Reshape([.. shape]);
    }

    /// <summary>The size-1 axis <paramref name="axis"/> removed.</summary>
    public Tensor Squeeze(int axis)
    {
        int a = NormalizeAxis(axis);
        if (_shape[a] != 1)
        {
            throw new ArgumentException($"Axis {axis} of shape {ShapeText} has size {_shape[a]}, not 1.", nameof(axis));
        }
        return Reshape(WithoutAxis(a));
    }

    /// <summary>The axes reordered: result axis i is this tensor's axis <c>axes[i]</c> (copied).</summary>
    public Tensor Permute(params int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        int[] order = CheckPermutation(axes);
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

    /// <summary>Axes <paramref name="axis0"/> and <paramref name="axis1"/> swapped (copied).</summary>
    public Tensor Transpose(int axis0, int axis1)
    {
        int a = NormalizeAxis(axis0);
        int b = NormalizeAxis(axis1);
        int[] order = Enumerable.Range(0, Rank).ToArray();
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>Elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> − 1 of <paramref name="axis"/> (copied).</summary>
    public Tensor Narrow(int axis, int start, int length)
    {
        int a = NormalizeAxis(axis);
        if (start < 0 || length < 0 || start + length > _shape[a])
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Range [{start}, {start + length}) is outside axis {axis} of shape {ShapeText}.");
        }
        (int outer, int size, int inner) = SplitAt(a);
        Tensor result = Empty(WithAxisSize(a, length));
        for (int o = 0; o < outer; o++)
        {
            Span.Slice((o * size + start) * inner, length * inner).CopyTo(result.Span.Slice(o * length * inner));
        }
        return RecordSlice(result, this, new SliceRange(outer, size, start, length, inner));
    }

    /// <summary>This tensor split along <paramref name="axis"/> into <paramref name="chunks"/> pieces of ⌈size/chunks⌉ (the last may be smaller), as PyTorch.</summary>
    public Tensor[] Chunk(int chunks, int axis)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunks);
        int a = NormalizeAxis(axis);
        int size = _shape[a];
        int step = (size + chunks - 1) / chunks;
        var pieces = new List<Tensor>();
        for (int start = 0; start < size; start += step)
        {
            pieces.Add(Narrow(a, start, Math.Min(step, size - start)));
        }
        return [.. pieces];
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

    private int[] ResolveShape(int[] shape)
    {
        int[] target = (int[])shape.Clone();
        int inferred = Array.IndexOf(target, -1);
        if (inferred >= 0)
        {
            target[inferred] = 1;
            long known = CountOf(target);
            target[inferred] = known == 0 ? 0 : (int)(Count / known);
        }
        if (CountOf(target) != Count)
        {
            throw new ArgumentException($"Shape {ShapeText} cannot be reshaped to {Format(shape)}.", nameof(shape));
        }
        return target;
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
