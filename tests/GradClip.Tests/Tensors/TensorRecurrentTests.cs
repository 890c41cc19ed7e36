using GradClip.Kernels;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorRecurrentTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(9, 5)]
    [InlineData(16, 4)]
    public void An_LSTM_layer_matches_its_gate_equations_unrolled_into_primitive_ops(int hidden, int time)
    {
        Tensor[] inputs = LayerInputs(batch: 3, time, hidden, seed: hidden);
        Tensor gradient = GradCheck.Uniform(7, -1, 1, 3, time + 1, hidden);

        Tensor[] fused = OutputAndGradients(() => Tensor.Lstm(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]), inputs, gradient);
        Tensor[] unrolled = OutputAndGradients(() => Unrolled(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]), inputs, gradient);

        for (int k = 0; k < fused.Length; k++)
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
        Tensor[] inputs = LayerInputs(batch: 2, time: 3, hidden, seed: 20 + hidden);

        GradCheck.AssertGradients(() => Tensor.Lstm(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]), inputs);
    }

    [Fact]
    public void An_LSTM_layer_gives_the_same_bits_on_one_thread_and_on_two()
    {
        // The side-by-side runner's size: its weight-gradient product is large enough to be shared between two threads.
        Tensor[] inputs = LayerInputs(batch: 32, time: 50, hidden: 64, seed: 3);
        Tensor gradient = GradCheck.Uniform(8, -1, 1, 32, 51, 64);
        int saved = Threads.NumThreads;
        try
        {
            Threads.NumThreads = 1;
            Tensor[] one = OutputAndGradients(() => Tensor.Lstm(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]), inputs, gradient);
            Threads.NumThreads = 2;
            Tensor[] two = OutputAndGradients(() => Tensor.Lstm(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]), inputs, gradient);

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
            () => Tensor.Lstm(Tensor.Zeros(2, 3, 16), Tensor.Zeros(2, 4), Tensor.Zeros(2, 4), Tensor.Zeros(12, 4), Tensor.Zeros(16)));

        Assert.Contains("[12, 4]", error.Message);
    }

    /// <summary>Projected input (batch, time, 4·hidden), initial hidden and cell states, W_hh and b_hh, drawn from one seed.</summary>
    private static Tensor[] LayerInputs(int batch, int time, int hidden, int seed) =>
    [
        GradCheck.Uniform(seed, -2, 2, batch, time, 4 * hidden),
        GradCheck.Uniform(seed + 1, -0.5f, 0.5f, batch, hidden),
        GradCheck.Uniform(seed + 2, -1, 1, batch, hidden),
        GradCheck.Uniform(seed + 3, -0.5f, 0.5f, 4 * hidden, hidden),
        GradCheck.Uniform(seed + 4, -0.5f, 0.5f, 4 * hidden),
    ];

    /// <summary>The layer from primitive ops, step by step: gates = projected_t + (h·W_hhᵀ + b_hh); c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c').</summary>
    private static Tensor Unrolled(Tensor projected, Tensor hidden, Tensor cell, Tensor weightHh, Tensor biasHh)
    {
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
