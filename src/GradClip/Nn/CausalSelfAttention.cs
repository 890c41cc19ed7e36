using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// Causal multi-head self-attention: each position attends to itself and earlier positions only.
/// softmax(Q·Kᵀ/√headDim + mask)·V per head, heads concatenated and projected. Q, K and V come from one
/// Linear <c>in_proj</c> (embedDim → 3·embedDim), the result goes through <c>out_proj</c> (embedDim → embedDim).
/// Shapes: input (batch, time, embedDim) → (batch, time, embedDim).
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear _inProjection;
    private readonly Linear _outProjection;

    /// <summary>Creates the block with <paramref name="headCount"/> heads, which must divide <paramref name="embedDim"/>.</summary>
    public CausalSelfAttention(int embedDim, int headCount, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headCount);
        if (embedDim % headCount != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(headCount), $"{headCount} heads do not divide the embedding size {embedDim}.");
        }
        EmbedDim = embedDim;
        HeadCount = headCount;
        _inProjection = RegisterModule("in_proj", new Linear(embedDim, 3 * embedDim, random));
        _outProjection = RegisterModule("out_proj", new Linear(embedDim, embedDim, random));
    }

    /// <summary>The size of each position's vector.</summary>
    public int EmbedDim { get; }

    /// <summary>The number of attention heads.</summary>
    public int HeadCount { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != EmbedDim)
        {
            throw new ArgumentException($"Attention expects input of shape [batch, time, {EmbedDim}], but got {input.ShapeText}.", nameof(input));
        }
        int batch = input.Shape[0];
        int time = input.Shape[1];
        int headDim = EmbedDim / HeadCount;
        Tensor[] qkv = _inProjection.Forward(input).Chunk(3, 2);
        Tensor SplitHeads(Tensor t) => t.Reshape(batch, time, HeadCount, headDim).Transpose(1, 2).Reshape(batch * HeadCount, time, headDim);
        Tensor query = SplitHeads(qkv[0]);
        Tensor key = SplitHeads(qkv[1]);
        Tensor value = SplitHeads(qkv[2]);
        Tensor scores = query.MatMul(key.Transpose(1, 2)).Mul(1f / MathF.Sqrt(headDim)) + CausalMask(time);
        Tensor context = scores.Softmax(-1).MatMul(value);
        Tensor merged = context.Reshape(batch, HeadCount, time, headDim).Transpose(1, 2).Reshape(batch, time, EmbedDim);
        return _outProjection.Forward(merged);
    }

    /// <summary>(time, time) with 0 on and below the diagonal and −∞ above it, so later positions get zero weight.</summary>
    private static Tensor CausalMask(int time)
    {
        Tensor mask = Tensor.Zeros(time, time);
        for (int row = 0; row < time; row++)
        {
            for (int column = row + 1; column < time; column++)
            {
                mask[row * time + column] = float.NegativeInfinity;
            }
        }
        return mask;
    }
}
