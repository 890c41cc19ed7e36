using GradClip.Kernels;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorAttentionTests
{
    /// <summary>Attention from a packed (batch, time, 3·width) projection by loops in double, as the formula reads.</summary>
    private static double[] Reference(Tensor qkv, int heads, bool causal)
    {
        int batch = qkv.Shape[0], time = qkv.Shape[1], width = qkv.Shape[2] / 3, headDim = width / heads;
        double At(int b, int t, int column) => qkv[(b * time + t) * 3 * width + column];
        var output = new double[batch * time * width];
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < heads; h++)
            {
                for (int i = 0; i < time; i++)
                {
                    int kept = causal ? i + 1 : time;
                    var weights = new double[kept];
                    for (int j = 0; j < kept; j++)
                    {
                        for (int d = 0; d < headDim; d++)
                        {
                            weights[j] += At(b, i, h * headDim + d) * At(b, j, width + h * headDim + d) / Math.Sqrt(headDim);
                        }
                    }
                    double max = weights.Max();
                    double sum = weights.Sum(w => Math.Exp(w - max));
                    for (int j = 0; j < kept; j++)
                    {
                        double p = Math.Exp(weights[j] - max) / sum;
                        for (int d = 0; d < headDim; d++)
                        {
                            output[(b * time + i) * width + h * headDim + d] += p * At(b, j, 2 * width + h * headDim + d);
                        }
                    }
                }
            }
        }
        return output;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Matches_the_formula_computed_in_double(bool causal)
    {
        Tensor qkv = GradCheck.Uniform(3, -2, 2, 2, 5, 3 * 8);

        Tensor output = Tensor.SelfAttention(qkv, 2, causal);

        double[] expected = Reference(qkv, 2, causal);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], output[i], 1e-5);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Gradients_match_finite_differences(bool causal)
    {
        Tensor qkv = GradCheck.Uniform(4, -1, 1, 2, 4, 3 * 4);

        GradCheck.AssertGradients(() => Tensor.SelfAttention(qkv, 2, causal), [qkv]);
    }

    [Fact]
    public void A_second_backward_pass_over_the_kept_graph_adds_the_same_gradient_again()
    {
        Tensor qkv = GradCheck.Uniform(7, -1, 1, 2, 9, 3 * 8);
        Tensor weights = GradCheck.Uniform(8, -1, 1, 2, 9, 8);
        qkv.RequiresGrad = true;
        Tensor output = Tensor.SelfAttention(qkv, 2, causal: true);

        output.Backward(weights);
        float[] once = qkv.Grad!.ToArray();
        // Another attention in between takes the first one's weights array from the pool and overwrites it.
        Tensor.SelfAttention(GradCheck.Uniform(9, -1, 1, 2, 9, 3 * 8), 2, causal: true);
        output.Backward(weights);

        Assert.Equal([.. once.Select(g => 2 * g)], qkv.Grad!.ToArray());
    }

    [Fact]
    public void Gives_the_same_bits_on_one_thread_and_two()
    {
        // 16 heads of 64 positions × 32 dimensions: enough work to be shared with the worker thread.
        Tensor qkv = GradCheck.Uniform(5, -1, 1, 4, 64, 3 * 128);
        Tensor weights = GradCheck.Uniform(6, -1, 1, 4, 64, 128);
        int saved = Threads.NumThreads;
        try
        {
            (float[] oneOutput, float[] oneGradient) = Run(1);
            (float[] twoOutput, float[] twoGradient) = Run(2);

            Assert.Equal(oneOutput, twoOutput);
            Assert.Equal(oneGradient, twoGradient);
        }
        finally
        {
            Threads.NumThreads = saved;
        }

        (float[] Output, float[] Gradient) Run(int threads)
        {
            Threads.NumThreads = threads;
            qkv.RequiresGrad = true;
            qkv.Grad = null;
            Tensor output = Tensor.SelfAttention(qkv, 4, causal: true);
            output.Backward(weights);
            return (output.ToArray(), qkv.Grad!.ToArray());
        }
    }

    [Fact]
    public void Refuses_a_projection_that_heads_do_not_divide()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.SelfAttention(Tensor.Zeros(1, 2, 9), 2, causal: true));

        Assert.Contains("[1, 2, 9]", error.Message, StringComparison.Ordinal);
    }
}
