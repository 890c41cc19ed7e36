using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// Causal multi-head self-attention: each position attends to itself and earlier positions only (every position, when
/// made with <c>causal: false</c>). softmax(Q·Kᵀ/√headDim + mask)·V per head, heads concatenated and projected, computed
/// by one fused op without building the mask. Q, K and V come from one
/// Linear <c>in_proj</c> (embedDim → 3·embedDim), the result goes through <c>out_proj</c> (embedDim → embedDim).
/// Shapes: input (batch, time, embedDim) → (batch, time, embedDim).
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear _inProjection;
    private readonly Linear _outProjection;

    /// <summary>Creates the block with <paramref name="headCount"/> heads, which must divide <paramref name="embedDim"/>.</summary>
    public CausalSelfAttention(int embedDim, int headCount, Random random)
        : this(embedDim, headCount, random, causal: true)
    {
    }

    /// <summary>Creates the block; <paramref name="causal"/> false lets every position attend to every other, as PyTorch's <c>is_causal=False</c>.</summary>
    public CausalSelfAttention(int embedDim, int headCount, Random random, bool causal)
    {
        IsCausal = causal;
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

    /// <summary>Whether each position attends to itself and earlier positions only.</summary>
    public bool IsCausal { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != EmbedDim)
        {
            throw new ArgumentException($"Attention expects input of shape [batch, time, {EmbedDim}], but got {input.ShapeText}.", nameof(input));
        }
        return _outProjection.Forward(Tensor.SelfAttention(_inProjection.Forward(input), HeadCount, IsCausal));
    }
}
