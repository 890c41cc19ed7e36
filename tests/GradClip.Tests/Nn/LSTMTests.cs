using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class LSTMTests
{
    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [Fact]
    public void One_step_matches_the_gate_formulas_by_hand()
    {
        var lstm = new LSTM(1, 1, new Random(1));
        Tensor[] p = lstm.Parameters().ToArray();
        float[] wi = [0.5f, -0.3f, 0.8f, 0.1f];
        float[] wh = [0.2f, 0.4f, -0.6f, 0.9f];
        float[] bi = [0.1f, 0.2f, 0.3f, 0.4f];
        float[] bh = [-0.1f, 0.05f, 0f, 0.2f];
        wi.CopyTo(p[0].Span);
        wh.CopyTo(p[1].Span);
        bi.CopyTo(p[2].Span);
        bh.CopyTo(p[3].Span);
        float x = 1.5f, h = 0.3f, c = -0.7f;

        (Tensor output, LstmState state) = lstm.Forward(
            Tensor.FromArray([x], 1, 1, 1), new LstmState(Tensor.FromArray([h], 1, 1, 1), Tensor.FromArray([c], 1, 1, 1)));

        float Pre(int k) => wi[k] * x + bi[k] + wh[k] * h + bh[k];
        float i = Sigmoid(Pre(0)), f = Sigmoid(Pre(1)), g = MathF.Tanh(Pre(2)), o = Sigmoid(Pre(3));
        float cell = f * c + i * g;
        float hidden = o * MathF.Tanh(cell);
        Assert.Equal(hidden, output[0], 1e-6f);
        Assert.Equal(hidden, state.Hidden[0], 1e-6f);
        Assert.Equal(cell, state.Cell[0], 1e-6f);
    }

    [Fact]
    public void Shapes_follow_PyTorch()
    {
        var lstm = new LSTM(3, 5, new Random(1), numLayers: 2);

        (Tensor output, LstmState state) = lstm.Forward(Tensor.Zeros(4, 6, 3));

        Assert.Equal([4, 6, 5], output.Shape);
        Assert.Equal([2, 4, 5], state.Hidden.Shape);
        Assert.Equal([2, 4, 5], state.Cell.Shape);
        Assert.Equal([20, 3], lstm.Parameters().First().Shape);
    }

    [Fact]
    public void Gradients_over_several_steps_and_two_layers_match_finite_differences()
    {
        var lstm = new LSTM(2, 3, new Random(2), numLayers: 2);
        Tensor x = GradCheck.Uniform(3, -1, 1, 2, 4, 2);
        Tensor h0 = GradCheck.Uniform(4, -0.5f, 0.5f, 2, 2, 3);
        Tensor c0 = GradCheck.Uniform(5, -0.5f, 0.5f, 2, 2, 3);

        GradCheck.AssertGradients(
            () =>
            {
                (Tensor output, LstmState state) = lstm.Forward(x, new LstmState(h0, c0));
                return Tensor.Cat([output.Reshape(-1), state.Hidden.Reshape(-1), state.Cell.Reshape(-1)], 0);
            },
            [x, h0, c0, .. lstm.Parameters()]);
    }

    /// <remarks>
    /// The expected figures come from PyTorch 1.13 in float64 (Debian's python3-torch): nn.LSTM(2, 3, batch_first=True)
    /// with the k-th parameter (1-based, in named_parameters order) filled with 0.5·sin(k + 0.7·j) for its j-th element,
    /// x = cos(0.3·j) (2, 3, 2), h0 = 0.2·sin(1.1·j), c0 = 0.3·cos(0.9·j) (1, 2, 3), and
    /// loss = Σ out⊙sin(0.5·j + 0.2) + 2·Σ h_n − Σ c_n; printed to 7 significant digits.
    /// </remarks>
    [Fact]
    public void Matches_PyTorch_nn_LSTM_forward_and_gradients_on_a_small_case()
    {
        var lstm = new LSTM(2, 3, new Random(1));
        Tensor[] parameters = [.. lstm.Parameters()];
        for (int k = 0; k < parameters.Length; k++)
        {
            Fill(parameters[k], j => 0.5 * Math.Sin(k + 1 + 0.7 * j));
        }
        Tensor x = Filled([2, 3, 2], j => Math.Cos(0.3 * j));
        Tensor h0 = Filled([1, 2, 3], j => 0.2 * Math.Sin(1.1 * j));
        Tensor c0 = Filled([1, 2, 3], j => 0.3 * Math.Cos(0.9 * j));
        Tensor[] inputs = [x, h0, c0];
        foreach (Tensor t in inputs)
        {
            t.RequiresGrad = true;
        }

        (Tensor output, LstmState state) = lstm.Forward(x, new LstmState(h0, c0));
        Tensor weights = Filled([.. output.Shape], j => Math.Sin(0.5 * j + 0.2));
        ((output * weights).Sum() + 2f * state.Hidden.Sum() - state.Cell.Sum()).Backward();

        AssertClose([0.2554198f, 0.03776992f, 0.02510036f, 0.07769918f, 0.07043031f, 0.1074283f], state.Hidden);
        AssertClose([0.5648095f, 0.1207615f, 0.0943336f, 0.3483848f, 0.3098312f, 0.2192409f], state.Cell);
        AssertClose(
            [-0.01457345f, -0.04739984f, 0.07897007f, 0.03185041f, 0.1975342f, 0.1582724f, -0.07926795f, -0.01699081f, -0.06559532f, -0.007115146f, 0.02874101f, 0.008420996f],
            x.Grad!);
        AssertClose([0.07193297f, -0.003012665f, -0.0765414f, -0.02975141f, 0.02566896f, 0.06901681f], h0.Grad!);
        AssertClose([0.07559642f, 0.1587799f, -0.1337135f, -0.1817539f, -0.1313182f, 0.06268096f], c0.Grad!);
        AssertClose(
            [0.1740722f, 0.201514f, 0.03891081f, 0.06785158f, -0.08025936f, -0.0748277f, 0.06053989f, 0.05562589f, 0.03204807f, 0.02609864f, -0.009992539f, -0.007128436f,
             0.298782f, 0.3018632f, 0.06222744f, 0.1063015f, -0.4391592f, -0.4184463f, 0.06148752f, -0.02766794f, -0.1558634f, -0.1627872f, -0.1513564f, -0.1623012f],
            parameters[0].Grad!);
        AssertClose(
            [-0.002642796f, 0.01571881f, 0.01319149f, -0.01663031f, 0.002276328f, 0.0004106859f, -0.00931915f, 0.001252754f, -0.0009071902f, -0.004406673f, -0.004707146f, -0.003219104f,
             -0.001963883f, -0.003152112f, -0.002062756f, -0.001882884f, 0.001267011f, 0.0009072755f, 0.01729309f, 0.03596147f, 0.03085445f, -0.04070946f, 0.0200271f, 0.01558171f,
             -0.05351804f, 0.007934828f, -0.004636114f, 0.1186612f, 0.02411261f, 0.02296268f, 0.02427516f, 0.01784481f, 0.01352615f, 0.01858511f, 0.01190036f, 0.008748817f],
            parameters[1].Grad!);
        float[] biasGradient = [-0.1190799f, -0.1792434f, 0.006783272f, 0.0123222f, 0.006802877f, -0.0003140052f, 0.1180863f, -0.08919565f, 0.09854782f, 0.5478255f, 0.1933461f, 0.196519f];
        AssertClose(biasGradient, parameters[2].Grad!);
        AssertClose(biasGradient, parameters[3].Grad!);
    }

    private static Tensor Filled(int[] shape, Func<int, double> value)
    {
        Tensor t = Tensor.Zeros(shape);
        Fill(t, value);
        return t;
    }

    private static void Fill(Tensor t, Func<int, double> value)
    {
        for (int j = 0; j < t.Count; j++)
        {
            t[j] = (float)value(j);
        }
    }

    private static void AssertClose(float[] expected, Tensor actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-6 + 1e-5 * Math.Abs(expected[i]), $"Element {i}: PyTorch {expected[i]}, GradClip {actual[i]}.");
        }
    }

    [Fact]
    public void An_LSTM_learns_the_sign_of_a_sequence_sum()
    {
        const int batch = 32, time = 8;
        var random = new Random(11);
        Tensor x = Tensor.Uniform(random, -1, 1, batch, time, 1);
        int[] labels = Enumerable.Range(0, batch).Select(b => x.ToArray().AsSpan(b * time, time).ToArray().Sum() > 0 ? 1 : 0).ToArray();
        var lstm = new LSTM(1, 8, new Random(12));
        var head = new Linear(8, 2, new Random(13));
        Tensor[] parameters = [.. lstm.Parameters(), .. head.Parameters()];
        Tensor Logits() => head.Forward(lstm.Forward(x).State.Hidden.Squeeze(0));

        var optimizer = new Sgd(parameters, 1);
        for (int step = 0; step < 300; step++)
        {
            foreach (Tensor p in parameters)
            {
                p.ZeroGrad();
            }
            Tensor.CrossEntropy(Logits(), labels).Backward();
            optimizer.Step();
        }

        Assert.Equal(labels, Logits().ArgMax(1));
        Assert.True(Tensor.CrossEntropy(Logits(), labels).Item() < 0.05f);
    }
}
