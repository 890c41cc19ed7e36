using System.Numerics.Tensors;
using GradClip.Autograd;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a zero-dimensional tensor.</summary>
    public Tensor Sum() => Reshape(Count).Sum(0);

    /// <summary>The sum over <paramref name="axis"/> (negative counts from the end); with <paramref name="keepDim"/> that axis stays with size 1.</summary>
    public Tensor Sum(int axis, bool keepDim = false)
    {
        int a = NormalizeAxis(axis);
        (int outer, int size, int inner) = SplitAt(a);
        int[] kept = WithAxisSize(a, 1);
        Tensor result = Empty(kept);
        Span<float> source = Span;
        Span<float> destination = result.Span;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                destination[o] = TensorPrimitives.Sum(source.Slice(o * size, size));
                continue;
            }
            Span<float> row = destination.Slice(o * inner, inner);
            for (int s = 0; s < size; s++)
            {
                TensorPrimitives.Add(row, source.Slice((o * size + s) * inner, inner), row);
            }
        }
        int[] inputShape = _shape;
        Record(result, Op.Sum, [this], g => [g.Expand(inputShape)]);
        return keepDim ? result : result.Reshape(WithoutAxis(a));
    }

    /// <summary>The mean of all elements, as a zero-dimensional tensor.</summary>
    public Tensor Mean() => Sum().Mul(1f / Count);

    /// <summary>The mean over <paramref name="axis"/>.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Sum(axis, keepDim).Mul(1f / _shape[NormalizeAxis(axis)]);

    /// <summary>The largest element, as a zero-dimensional tensor; the gradient goes to its first occurrence.</summary>
    public Tensor Max() => Reshape(Count).Max(0);

    /// <summary>The maximum over <paramref name="axis"/>; the gradient goes to the first arg-max, NaN propagates.</summary>
    public Tensor Max(int axis, bool keepDim = false)
    {
        int a = NormalizeAxis(axis);
        (int outer, int size, int inner) = SplitAt(a);
        if (size == 0)
        {
            throw new ArgumentException($"Max over axis {axis} of shape {ShapeText} has no elements to compare.", nameof(axis));
        }
        int[] kept = WithAxisSize(a, 1);
        Tensor result = Empty(kept);
        int[] argMax = ArgMaxIndices(outer, size, inner);
        Span<float> maxima = result.Span;
        ReadOnlySpan<float> source = Span;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                maxima[o * inner + i] = source[(o * size + argMax[o * inner + i]) * inner + i];
            }
        }
        int[] inputShape = _shape;
        Record(result, Op.Max, [this], g =>
        {
            Tensor gradient = Zeros(inputShape);
            Span<float> spread = gradient.Span;
            ReadOnlySpan<float> gs = g.Span;
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    spread[(o * size + argMax[o * inner + i]) * inner + i] = gs[o * inner + i];
                }
            }
            return [gradient];
        });
        return keepDim ? result : result.Reshape(WithoutAxis(a));
    }

    /// <summary>The index of the first maximum along <paramref name="axis"/> for each position of the other axes, row-major (not differentiable).</summary>
    public int[] ArgMax(int axis)
    {
        int a = NormalizeAxis(axis);
        (int outer, int size, int inner) = SplitAt(a);
        if (size == 0)
        {
            throw new ArgumentException($"ArgMax over axis {axis} of shape {ShapeText} has no elements to compare.", nameof(axis));
        }
        return ArgMaxIndices(outer, size, inner);
    }

    /// <summary>The variance over <paramref name="axis"/>; <paramref name="unbiased"/> divides by n − 1 (PyTorch's default), else by n.</summary>
    public Tensor Var(int axis, bool unbiased = true, bool keepDim = false)
    {
        int a = NormalizeAxis(axis);
        Tensor deviation = Sub(Mean(a, keepDim: true));
        int divisor = _shape[a] - (unbiased ? 1 : 0);
        return deviation.Mul(deviation).Sum(a, keepDim).Mul(1f / divisor);
    }

    /// <summary>The variance of all elements, as a zero-dimensional tensor.</summary>
    public Tensor Var(bool unbiased = true) => Reshape(Count).Var(0, unbiased);

    private int[] ArgMaxIndices(int outer, int size, int inner)
    {
        var argMax = new int[outer * inner];
        ReadOnlySpan<float> source = Span;
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                float bestValue = source[o * size * inner + i];
                for (int s = 1; s < size && !float.IsNaN(bestValue); s++)
                {
                    float value = source[(o * size + s) * inner + i];
                    if (value > bestValue || float.IsNaN(value))
                    {
                        best = s;
                        bestValue = value;
                    }
                }
                argMax[o * inner + i] = best;
            }
        }
        return argMax;
    }

    /// <summary>The axis as a non-negative index; negative values count from the end as in PyTorch.</summary>
    private int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for shape {ShapeText}.");
        }
        return a;
    }

    /// <summary>The shape seen as (outer, size of <paramref name="axis"/>, inner), row-major.</summary>
    private (int Outer, int Size, int Inner) SplitAt(int axis)
    {
        int outer = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= _shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < Rank; i++)
        {
            inner *= _shape[i];
        }
        return (outer, _shape[axis], inner);
    }

    private int[] WithAxisSize(int axis, int size)
    {
        int[] shape = (int[])_shape.Clone();
        shape[axis] = size;
        return shape;
    }

    private int[] WithoutAxis(int axis)
    {
        var shape = new List<int>(_shape);
        shape.RemoveAt(axis);
        return [.. shape];
    }
}
