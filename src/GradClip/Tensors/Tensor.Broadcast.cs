using GradClip.Autograd;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>This tensor broadcast to <paramref name="shape"/> by numpy rules (copied); the backward sums over the broadcast axes.</summary>
    public Tensor Expand(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (HasShape(shape))
        {
            return this;
        }
        if (!BroadcastShape(_shape, shape).AsSpan().SequenceEqual(shape))
        {
            throw new ArgumentException($"Shape {ShapeText} cannot be expanded to {Format(shape)}.", nameof(shape));
        }
        int[] target = (int[])shape.Clone();
        Tensor result = Empty(target);
        StridedCopy(Span, BroadcastStrides(_shape, target), result.Span, target);
        Tensor input = this;
        return Record(result, Op.Expand, [this], g => [g.SumTo(input._shape)]);
    }

    /// <summary>The numpy broadcast of two shapes; the error names both.</summary>
    internal static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"Shapes {Format(a)} and {Format(b)} cannot be broadcast together.");
            }
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>This tensor summed down to <paramref name="shape"/>, the inverse of broadcasting (for gradients).</summary>
    internal Tensor SumTo(int[] shape)
    {
        if (HasShape(shape))
        {
            return this;
        }
        int lead = Rank - shape.Length;
        Tensor result = this;
        for (int axis = 0; axis < Rank; axis++)
        {
            bool broadcastAxis = axis < lead || (shape[axis - lead] == 1 && _shape[axis] != 1);
            if (broadcastAxis)
            {
                result = result.Sum(axis, keepDim: true);
            }
        }
        return result.Reshape(shape);
    }

    /// <summary>Row-major strides of <paramref name="source"/> aligned to <paramref name="target"/>'s axes, 0 where broadcast.</summary>
    private static int[] BroadcastStrides(int[] source, int[] target)
    {
        var strides = new int[target.Length];
        int lead = target.Length - source.Length;
        int stride = 1;
        for (int axis = source.Length - 1; axis >= 0; axis--)
        {
            strides[axis + lead] = source[axis] == 1 ? 0 : stride;
            stride *= source[axis];
        }
        return strides;
    }

    /// <summary>Fills <paramref name="destination"/> (contiguous, shape <paramref name="shape"/>) from <paramref name="source"/> read with the given strides.</summary>
    private static void StridedCopy(ReadOnlySpan<float> source, int[] sourceStrides, Span<float> destination, int[] shape)
    {
        if (destination.Length == 0)
        {
            return;
        }
        int rank = shape.Length;
        if (rank == 0)
        {
            destination[0] = source[0];
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = sourceStrides[rank - 1];
        var index = new int[rank];
        int offset = 0;
        for (int row = 0; row < destination.Length / inner; row++)
        {
            Span<float> target = destination.Slice(row * inner, inner);
            if (innerStride == 1)
            {
                source.Slice(offset, inner).CopyTo(target);
            }
            else if (innerStride == 0)
            {
                target.Fill(source[offset]);
            }
            else
            {
                for (int j = 0; j < inner; j++)
                {
                    target[j] = source[offset + j * innerStride];
                }
            }
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                offset += sourceStrides[axis];
                if (++index[axis] < shape[axis])
                {
                    break;
                }
                offset -= sourceStrides[axis] * shape[axis];
                index[axis] = 0;
            }
        }
    }
}
