using GradClip.Kernels;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorRecurrentTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(9, 5, 3)]
    [InlineData(16, 4, 16)]
    public void An_LSTM_layer_equals_its_gate_equations_unrolled_into_primitive_ops_forward_and_within_rounding_backward(int hidden, int time, int inputSize)
    {
        Tensor[] inputs = LayerInputs(batch: 3, time, inputSize, hidden, seed: hidden);
        Tensor gradient = GradCheck.Uniform(7, -1, 1, 3, time + 1, hidden);

        Tensor[] fused = OutputAndGradients(() => Lstm(inputs), inputs, gradient);
        Tensor[] unrolled = OutputAndGradients(() => Unrolled(inputs), inputs, gradient);

        // The forward adds in the unrolled ops' order: the same bits. The backward sums in another order: float rounding.
        Assert.Equal(unrolled[0].ToArray(), fused[0].ToArray());
        for (int k = 1; k < fused.Length; k++)
        {
            for (int i = 0; i < fused[k].Count; i++)
            {
                Assert.True(
                    Math.Abs(fused[k][i] - unrolled[k][i]) <= 1e-6 + 1e-5 * Math.Abs(unrolled[k][i]),
                    $"Result {k}, element {i}: fused {fused[k][i]}, unrolled {unrolled[k][i]}.");
            }
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(16)]
    public void LSTM_layer_gradients_match_finite_differences(int hidden)
    {
        Tensor[] inputs = LayerInputs(batch: 2, time: 3, inputSize: 2, hidden, seed: 20 + hidden);

        GradCheck.AssertGradients(() => Lstm(inputs), inputs);
    }

    [Fact]
    public void An_LSTM_layer_gives_the_same_bits_on_one_thread_and_on_two()
    {
        // The side-by-side runner's size: its weight-gradient product is large enough to be shared between two threads.
        Tensor[] inputs = LayerInputs(batch: 32, time: 50, inputSize: 1, hidden: 64, seed: 3);
        Tensor gradient = GradCheck.Uniform(8, -1, 1, 32, 51, 64);
        int saved = Threads.NumThreads;
        try
        {
            Threads.NumThreads = 1;
            Tensor[] one = OutputAndGradients(() => Lstm(inputs), inputs, gradient);
            Threads.NumThreads = 2;
            Tensor[] two = OutputAndGradients(() => Lstm(inputs), inputs, gradient);

            for (int k = 0; k < one.Length; k++)
            {
                Assert.Equal(one[k].ToArray(), two[k].ToArray());
            }
        }
        finally
        {
            Threads.NumThreads = saved;
        }
    }

    [Fact]
    public void Refuses_a_recurrent_weight_that_is_not_four_times_the_state()
    {
        var error = Assert.Throws<ArgumentException>(
            () => Tensor.Lstm(Tensor.Zeros(2, 3, 5), Tensor.Zeros(2, 4), Tensor.Zeros(2, 4), Tensor.Zeros(16, 5), Tensor.Zeros(12, 4), Tensor.Zeros(16), Tensor.Zeros(16)));

        Assert.Contains("[12, 4]", error.Message);
    }

    /// <summary>
    /// Input (batch, time, in), initial hidden and cell states (batch, hidden), W_ih (4·hidden, in), W_hh (4·hidden, hidden),
    /// b_ih and b_hh (4·hidden), drawn from one seed.
    /// </summary>
    private static Tensor[] LayerInputs(int batch, int time, int inputSize, int hidden, int seed) =>
    [
        GradCheck.Uniform(seed, -2, 2, batch, time, inputSize),
        GradCheck.Uniform(seed + 1, -0.5f, 0.5f, batch, hidden),
        GradCheck.Uniform(seed + 2, -1, 1, batch, hidden),
        GradCheck.Uniform(seed + 3, -0.5f, 0.5f, 4 * hidden, inputSize),
        GradCheck.Uniform(seed + 4, -0.5f, 0.5f, 4 * hidden, hidden),
        GradCheck.Uniform(seed + 5, -0.5f, 0.5f, 4 * hidden),
        GradCheck.Uniform(seed + 6, -0.5f, 0.5f, 4 * hidden),
    ];

    private static Tensor Lstm(Tensor[] inputs) => Tensor.Lstm(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5], inputs[6]);

    /// <summary>
    /// The layer from primitive ops: the input projected for every step at once, then step by step gates = projected_t +
    /// (h·W_hhᵀ + b_hh); c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c'); the hidden states, then the last cell state.
    /// </summary>
    private static Tensor Unrolled(Tensor[] inputs)
    {
        (Tensor hidden, Tensor cell, Tensor weightHh, Tensor biasHh) = (inputs[1], inputs[2], inputs[4], inputs[6]);
        Tensor projected = Tensor.Linear(inputs[0], inputs[3], inputs[5]);
        var steps = new List<Tensor>();
        for (int t = 0; t < projected.Shape[1]; t++)
        {
            Tensor[] gates = (projected.Narrow(1, t, 1).Squeeze(1) + Tensor.Linear(hidden, weightHh, biasHh)).Chunk(4, 1);
            cell = gates[1].Sigmoid() * cell + gates[0].Sigmoid() * gates[2].Tanh();
            hidden = gates[3].Sigmoid() * cell.Tanh();
            steps.Add(hidden);
        }
        steps.Add(cell);
        return Tensor.Stack(steps, 1);
    }

    /// <summary>The output of <paramref name="forward"/>, then every input's gradient after backpropagating <paramref name="gradient"/>.</summary>
    private static Tensor[] OutputAndGradients(Func<Tensor> forward, Tensor[] inputs, Tensor gradient)
    {
        foreach (Tensor input in inputs)
        {
            input.RequiresGrad = true;
            input.Grad = null;
        }
        Tensor output = forward();
        output.Backward(gradient);
        return [output.Detach(), .. inputs.Select(i => i.Grad!)];
    }
}
