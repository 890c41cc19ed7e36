using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class EmbeddingTests
{
    [Fact]
    public void Looks_up_rows_into_batch_by_length_by_dim()
    {
        var embedding = new Embedding(5, 3, new Random(1));

        Tensor y = embedding.Forward(new[,] { { 4, 0 }, { 2, 4 } });

        Assert.Equal([2, 2, 3], y.Shape);
        Assert.Equal(embedding.Weight.ToArray().AsSpan(12, 3).ToArray(), y.ToArray().AsSpan(0, 3).ToArray());
        Assert.Equal(embedding.Weight.ToArray().AsSpan(12, 3).ToArray(), y.ToArray().AsSpan(9, 3).ToArray());
    }

    [Fact]
    public void Gradients_match_finite_differences_with_repeated_indices()
    {
        var embedding = new Embedding(4, 2, new Random(1));
        Tensor scale = GradCheck.Uniform(2, -1, 1, 2, 3, 2);

        GradCheck.AssertGradients(() => embedding.Forward(new[,] { { 1, 3, 1 }, { 0, 1, 1 } }) * scale, [embedding.Weight]);
    }
}
