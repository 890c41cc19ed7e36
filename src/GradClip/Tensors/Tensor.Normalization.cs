using GradClip.Autograd;
using GradClip.Kernels;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>Numerically stable softmax over <paramref name="axis"/>; over the last axis by one fused kernel per row.</summary>
    public Tensor Softmax(int axis) =>
        NormalizeAxis(axis) == Rank - 1 ? LastAxisSoftmax(causal: false) : ComposedLogSoftmax(axis).Exp();

    /// <summary>Numerically stable log-softmax over <paramref name="axis"/>: x − max − log Σ exp(x − max); over the last axis by one fused kernel per row.</summary>
    public Tensor LogSoftmax(int axis)
    {
        if (NormalizeAxis(axis) != Rank - 1)
        {
            return ComposedLogSoftmax(axis);
        }
        int columns = _shape[^1];
        Tensor result = Empty(_shape);
        SoftmaxRows.LogForward(Span, result.Span, columns);
        return Record(result, Op.LogSoftmax, [this], g =>
        {
            Tensor gradient = Empty(result._shape);
            SoftmaxRows.LogBackward(result.Span, g.Span, gradient.Span, columns);
            return [gradient];
        });
    }

    /// <summary>
    /// Softmax over the last axis; with <paramref name="causal"/> the last two axes are square blocks whose row i keeps
    /// columns 0..i only (the others get 0, as a −∞ mask would give), with no mask tensor built.
    /// </summary>
    internal Tensor LastAxisSoftmax(bool causal)
    {
        int columns = _shape[^1];
        if (causal && (Rank < 2 || _shape[^2] != columns))
        {
            throw new ArgumentException($"A causal softmax needs square blocks in its last two axes, but got shape {ShapeText}.");
        }
        Tensor result = Empty(_shape);
        SoftmaxRows.Forward(Span, result.Span, columns, causal);
        return Record(result, Op.Softmax, [this], g =>
        {
            Tensor gradient = Empty(result._shape);
            SoftmaxRows.Backward(result.Span, g.Span, gradient.Span, columns);
            return [gradient];
        });
    }

    /// <summary>Log-softmax over any axis composed of recorded ops, the max held constant.</summary>
    private Tensor ComposedLogSoftmax(int axis)
    {
        Tensor shifted = Sub(Max(axis, keepDim: true).Detach());
        return shifted.Sub(shifted.Exp().Sum(axis, keepDim: true).Log());
    }

    /// <summary>
    /// Layer normalization over the last axis, as PyTorch: (x − mean) / √(var + eps) · weight + bias with the biased variance,
    /// by one fused kernel per row forward and backward. Shapes: this (*, d), weight and bias (d) or null.
    /// </summary>
    public Tensor LayerNorm(Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        if (Rank == 0)
        {
            throw new InvalidOperationException("LayerNorm needs a tensor with at least one axis.");
        }
        int columns = _shape[^1];
        RequireNormalizedShape(weight, columns, nameof(weight));
        RequireNormalizedShape(bias, columns, nameof(bias));
        int rows = columns == 0 ? 0 : Count / columns;
        Tensor result = Uninitialized(_shape);
        var mean = new float[rows];
        var inverseStd = new float[rows];
        LayerNormRows.Forward(Span, SpanOrEmpty(weight), SpanOrEmpty(bias), result.Span, mean, inverseStd, columns, eps);
        Tensor input = this;
        Tensor[] parents = [this, .. weight is null ? Array.Empty<Tensor>() : [weight], .. bias is null ? Array.Empty<Tensor>() : [bias]];
        return Record(result, Op.LayerNorm, parents, g =>
        {
            Tensor? gradInput = input._requiresGrad ? Uninitialized(input._shape) : null;
            Tensor? gradWeight = weight is { _requiresGrad: true } ? Empty(weight._shape) : null;
            Tensor? gradBias = bias is { _requiresGrad: true } ? Empty(bias._shape) : null;
            LayerNormRows.Backward(
                input.Span, SpanOrEmpty(weight), g.Span, mean, inverseStd,
                SpanOrEmpty(gradInput), SpanOrEmpty(gradWeight), SpanOrEmpty(gradBias), columns);
            return [gradInput, .. weight is null ? Array.Empty<Tensor?>() : [gradWeight], .. bias is null ? Array.Empty<Tensor?>() : [gradBias]];
        });
    }

    private static void RequireNormalizedShape(Tensor? parameter, int columns, string name)
    {
        if (parameter is not null && !parameter.HasShape([columns]))
        {
            throw new ArgumentException($"LayerNorm over a last axis of {columns} needs {name} of shape [{columns}], but got {parameter.ShapeText}.", name);
        }
    }

    private static Span<float> SpanOrEmpty(Tensor? tensor) => tensor is null ? [] : tensor.Span;

    /// <summary>Throws unless <paramref name="p"/> is a probability in [0, 1].</summary>
    internal static void RequireProbability(float p)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p,
                $"Dropout probability {p.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not in [0, 1].");
        }
    }

    /// <summary>
    /// Inverted dropout: in training each element is zeroed with probability <paramref name="p"/> (drawn from
    /// <paramref name="random"/>) and the survivors scaled by 1/(1 − p); outside training the tensor is returned as is.
    /// </summary>
    public Tensor Dropout(float p, bool training, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        RequireProbability(p);
        if (!training || p == 0f)
        {
            return this;
        }
        Tensor mask = Zeros(_shape);
        float scale = p == 1f ? 0f : 1f / (1f - p);
        Span<float> keep = mask.Span;
        for (int i = 0; i < keep.Length; i++)
        {
            keep[i] = random.NextDouble() < p ? 0f : scale;
        }
        return Mul(mask);
    }
}
