using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class TransformerLanguageModelTests
{
    [Fact]
    public void Maps_token_ids_to_next_token_logits()
    {
        var model = new TransformerLanguageModel(7, 5, 8, 2, 2, new Random(1));

        Assert.Equal([3, 4, 7], model.Forward(Tensor.Zeros(3, 4)).Shape);
        Assert.Equal(["token_embedding.weight", "position_embedding.weight", "blocks.0.ln_1.weight"], model.NamedParameters().Take(3).Select(p => p.Name));
        Assert.Equal("head.bias", model.NamedParameters()[^1].Name);
    }

    [Fact]
    public void A_later_token_never_changes_an_earlier_positions_logits()
    {
        var model = new TransformerLanguageModel(5, 4, 8, 2, 1, new Random(2));
        Tensor first = model.Forward(Tensor.FromArray([1, 2, 3, 4], 1, 4));
        Tensor second = model.Forward(Tensor.FromArray([1, 2, 0, 0], 1, 4));

        Assert.Equal(first.ToArray()[..10], second.ToArray()[..10]);
        Assert.NotEqual(first.ToArray()[10..], second.ToArray()[10..]);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var model = new TransformerLanguageModel(4, 3, 4, 2, 1, new Random(3));
        Tensor ids = Tensor.FromArray([0, 3, 1, 2, 2, 0], 2, 3);

        GradCheck.AssertGradients(() => model.Forward(ids), [.. model.Parameters()], h: 2e-3f, atol: 2e-3, rtol: 1e-2);
    }

    [Fact]
    public void Refuses_ids_outside_the_vocabulary_and_inputs_longer_than_the_context()
    {
        var model = new TransformerLanguageModel(4, 3, 4, 2, 1, new Random(3));

        Assert.Contains("element 1 is 4", Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(Tensor.FromArray([0, 4], 1, 2))).Message);
        Assert.Throws<ArgumentException>(() => model.Forward(Tensor.Zeros(1, 4)));
    }

    [Fact]
    public void Learns_a_repeating_sequence()
    {
        var model = new TransformerLanguageModel(3, 6, 16, 2, 1, new Random(4));
        var optimizer = new Adam(model.Parameters(), 0.01);
        Tensor ids = Tensor.FromArray([0, 1, 2, 0, 1, 2], 1, 6);
        int[] next = [1, 2, 0, 1, 2];
        float loss = 0;
        for (int step = 0; step < 60; step++)
        {
            Tensor l = Tensor.CrossEntropy(model.Forward(ids.Narrow(1, 0, 5)).Reshape(5, 3), next);
            loss = l.Item();
            l.Backward();
            optimizer.Step();
            optimizer.ZeroGrad();
        }

        Assert.True(loss < 0.05, $"loss {loss}");
    }
}
