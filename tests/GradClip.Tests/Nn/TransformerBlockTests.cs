using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class TransformerBlockTests
{
    [Fact]
    public void Parameter_names_are_hierarchical()
    {
        var block = new TransformerBlock(4, 2, 8, new Random(1));

        Assert.Equal(
            ["ln_1.weight", "ln_1.bias", "attn.in_proj.weight", "attn.in_proj.bias", "attn.out_proj.weight", "attn.out_proj.bias",
             "ln_2.weight", "ln_2.bias", "mlp.0.weight", "mlp.0.bias", "mlp.2.weight", "mlp.2.bias"],
            block.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var block = new TransformerBlock(4, 2, 6, new Random(1));
        Tensor x = GradCheck.Uniform(2, -1, 1, 2, 3, 4);

        GradCheck.AssertGradients(() => block.Forward(x), [x, .. block.Parameters()]);
    }

    [Fact]
    public void A_tiny_transformer_learns_to_copy_the_previous_token()
    {
        const int vocabulary = 5, batch = 16, time = 6, dim = 16;
        var random = new Random(21);
        var tokens = new int[batch, time];
        var targets = new List<int>();
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < time; t++)
            {
                tokens[b, t] = random.Next(vocabulary);
                targets.Add(t == 0 ? 0 : tokens[b, t - 1]);
            }
        }
        var embedding = new Embedding(vocabulary, dim, new Random(22));
        var positions = Tensor.Randn(new Random(23), time, dim);
        positions.RequiresGrad = true;
        var block = new TransformerBlock(dim, 2, 32, new Random(24));
        var head = new Linear(dim, vocabulary, new Random(25));
        Tensor[] parameters = [.. embedding.Parameters(), positions, .. block.Parameters(), .. head.Parameters()];
        int[] labels = [.. targets];
        Tensor Logits() => head.Forward(block.Forward(embedding.Forward(tokens) + positions)).Reshape(-1, vocabulary);
        float initial = Tensor.CrossEntropy(Logits(), labels).Item();

        var optimizer = new Sgd(parameters, 0.1);
        for (int step = 0; step < 150; step++)
        {
            foreach (Tensor p in parameters)
            {
                p.ZeroGrad();
            }
            Tensor.CrossEntropy(Logits(), labels).Backward();
            optimizer.Step();
        }

        Assert.True(initial > 1f);
        Assert.True(Tensor.CrossEntropy(Logits(), labels).Item() < 0.3f);
    }
}
