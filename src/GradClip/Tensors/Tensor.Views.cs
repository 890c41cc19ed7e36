using GradClip.Autograd;

namespace GradClip.Tensors;

// Views: results that share this tensor's elements instead of copying them, as PyTorch's views do, so that writes
// through either are seen by the other. A tensor is always one contiguous row-major range of its storage (an offset and
// a count), because every kernel reads whole rows; so reshapes are views, and so are a slice (Narrow, Chunk) and a
// reordering of axes (Permute, Transpose) whenever the result is such a range. Otherwise those copy, and ops that need
// another layout read it where it lies (self-attention reads its heads from the packed projection).
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

    /// <summary>
    /// Elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> − 1 of
    /// <paramref name="axis"/>: a view, sharing the elements as PyTorch's, when they are one contiguous range (every axis
    /// before <paramref name="axis"/> has size 1, e.g. rows of a matrix, or the whole axis is kept), else a copy.
    /// </summary>
    public Tensor Narrow(int axis, int start, int length)
    {
        int a = NormalizeAxis(axis);
        if (start < 0 || length < 0 || start + length > _shape[a])
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Range [{start}, {start + length}) is outside axis {axis} of shape {ShapeText}.");
        }
        (int outer, int size, int inner) = SplitAt(a);
        int[] shape = WithAxisSize(a, length);
        var slice = new SliceRange(outer, size, start, length, inner);
        if (outer == 1 || length == size)
        {
            return RecordSlice(new Tensor(_storage, _offset + start * inner, outer * length * inner, shape), this, slice);
        }
        Tensor result = Empty(shape);
        for (int o = 0; o < outer; o++)
        {
            Span.Slice((o * size + start) * inner, length * inner).CopyTo(result.Span.Slice(o * length * inner));
        }
        return RecordSlice(result, this, slice);
    }

    /// <summary>This tensor split along <paramref name="axis"/> into <paramref name="chunks"/> pieces of ⌈size/chunks⌉ (the last may be smaller), as PyTorch; views where <see cref="Narrow"/> gives views.</summary>
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

    /// <summary>
    /// Whether axes taken in <paramref name="order"/> leave every element where it is: the axes of size above 1 keep
    /// their relative order, so the reordering is a reshape.
    /// </summary>
    private bool KeepsMemoryOrder(int[] order)
    {
        int previous = -1;
        foreach (int axis in order)
        {
            if (_shape[axis] == 1)
            {
                continue;
            }
            if (axis < previous)
            {
                return false;
            }
            previous = axis;
        }
        return true;
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
}
