using GradClip.Autograd;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Element-wise choice, as PyTorch's <c>torch.where</c>: <paramref name="input"/> where <paramref name="condition"/> is
    /// non-zero, else <paramref name="other"/>, all three broadcast by numpy rules. The gradient flows to the chosen side only.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        int[] shape = BroadcastShape(BroadcastShape(condition._shape, input._shape), other._shape);
        Tensor picks = condition.Detach().Expand(shape);
        Tensor x = input.Expand(shape);
        Tensor y = other.Expand(shape);
        Tensor result = Empty(shape);
        Choose(picks, x.Span, y.Span, result.Span);
        return Record(result, Op.Where, [x, y], g =>
        {
            Tensor? gradX = x._requiresGrad ? Empty(shape) : null;
            Tensor? gradY = y._requiresGrad ? Empty(shape) : null;
            if (gradX is not null)
            {
                Choose(picks, g.Span, gradX.Span, gradX.Span);
            }
            if (gradY is not null)
            {
                Choose(picks, gradY.Span, g.Span, gradY.Span);
            }
            return [gradX, gradY];
        });
    }

    /// <summary><paramref name="value"/> where <paramref name="mask"/> (broadcast to this shape) is non-zero, else this tensor's element, as PyTorch's <c>masked_fill</c>.</summary>
    public Tensor MaskedFill(Tensor mask, float value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (!BroadcastShape(mask._shape, _shape).AsSpan().SequenceEqual(_shape))
        {
            throw new ArgumentException($"A mask of shape {mask.ShapeText} does not broadcast to shape {ShapeText}.", nameof(mask));
        }
        return Where(mask, Full(value, 1), this);
    }

    /// <summary>
    /// The upper triangle of the last two axes, as PyTorch's <c>triu</c>: element (i, j) is kept where j − i ≥
    /// <paramref name="diagonal"/> and zeroed below; <c>Ones(t, t).Triu(1)</c> is the causal mask's −∞ positions.
    /// </summary>
    public Tensor Triu(int diagonal = 0)
    {
        if (Rank < 2)
        {
            throw new InvalidOperationException($"Triu needs at least two axes, but shape {ShapeText} has {Rank}.");
        }
        int rows = _shape[^2];
        int columns = _shape[^1];
        Tensor kept = Zeros(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = Math.Max(0, Math.Min(columns, i + diagonal)); j < columns; j++)
            {
                kept[i * columns + j] = 1f;
            }
        }
        return Where(kept, this, Zeros(1));
    }

    /// <summary>destination[i] = picks[i] ≠ 0 ? x[i] : y[i]; <paramref name="destination"/> may be x or y.</summary>
    private static void Choose(Tensor picks, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        ReadOnlySpan<float> mask = picks.Span;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = mask[i] != 0f ? x[i] : y[i];
        }
    }
}
