using GradClip.Nn;
using GradClip.Optim;
using GradClip.Randomness;
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
    public void A_post_norm_block_without_a_mask_has_gradients_that_match_finite_differences()
    {
        var block = new TransformerBlock(4, 2, 6, new Random(1), new TransformerBlockOptions(NormFirst: false, Causal: false));
        Tensor x = GradCheck.Uniform(2, -1, 1, 2, 3, 4);

        GradCheck.AssertGradients(() => block.Forward(x), [x, .. block.Parameters()]);
    }

    [Fact]
    public void A_post_norm_block_normalizes_its_output_rows()
    {
        var block = new TransformerBlock(8, 2, 16, new Random(1), new TransformerBlockOptions(NormFirst: false));

        Tensor y = block.Forward(GradCheck.Uniform(3, -2, 2, 1, 4, 8));

        for (int row = 0; row < 4; row++)
        {
            float[] values = y.ToArray()[(row * 8)..((row + 1) * 8)];
            Assert.Equal(0, values.Average(), 1e-5);
        }
    }

    [Fact]
    public void Without_a_mask_an_early_position_sees_later_ones()
    {
        var causal = new TransformerBlock(4, 2, 8, new Random(1));
        var open = new TransformerBlock(4, 2, 8, new Random(1), new TransformerBlockOptions(Causal: false));
        Tensor x = GradCheck.Uniform(2, -1, 1, 1, 3, 4);
        Tensor changed = x.Clone();
        changed[2 * 4] += 1f;

        Assert.Equal(causal.Forward(x).ToArray()[..4], causal.Forward(changed).ToArray()[..4]);
        Assert.NotEqual(open.Forward(x).ToArray()[..4], open.Forward(changed).ToArray()[..4]);
    }

    [Fact]
    public void Dropout_acts_in_training_only_and_needs_the_generator()
    {
        var block = new TransformerBlock(4, 2, 8, new Generator(1), new TransformerBlockOptions(Dropout: 0.5f));
        var plain = new TransformerBlock(4, 2, 8, new Generator(1));
        Tensor x = GradCheck.Uniform(2, -1, 1, 2, 3, 4);

        Assert.NotEqual(plain.Forward(x).ToArray(), block.Forward(x).ToArray());
        block.Eval();
        Assert.Equal(plain.Forward(x).ToArray(), block.Forward(x).ToArray());
        Assert.Throws<ArgumentException>(() => new TransformerBlock(4, 2, 8, new Random(1), new TransformerBlockOptions(Dropout: 0.1f)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerBlockOptions(Dropout: 1f));
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
