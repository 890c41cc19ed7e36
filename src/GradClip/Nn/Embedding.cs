using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// A lookup table of vectors. Shapes: indices (batch, length) → (batch, length, embeddingDim); weight
/// (numEmbeddings, embeddingDim), initialized N(0, 1) as PyTorch. The backward scatter-adds into the rows used.
/// </summary>
public sealed class Embedding : Module<int[,], Tensor>
{
    /// <summary>Creates the table, drawing its weight from <paramref name="random"/>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        Weight = RegisterParameter("weight", Tensor.Randn(random, numEmbeddings, embeddingDim));
    }

    /// <summary>The table, (numEmbeddings, embeddingDim).</summary>
    public Tensor Weight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(int[,] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int batch = input.GetLength(0);
        int length = input.GetLength(1);
        int[] flat = input.Cast<int>().ToArray();
        return Forward(flat).Reshape(batch, length, Weight.Shape[1]);
    }

    /// <summary>Looks up a flat list of n indices: (n) → (n, embeddingDim).</summary>
    public Tensor Forward(ReadOnlySpan<int> indices) => Weight.IndexSelect(indices);
}
