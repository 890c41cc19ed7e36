using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class SequenceNetworkTests
{
    [Fact]
    public void Reads_flat_rows_as_steps_and_equals_the_recurrent_layer_and_head_applied_by_hand()
    {
        var network = new SequenceNetwork(RecurrentCell.Rnn, stepInputs: 2, hiddenSize: 4, outputs: 3, new Random(5));
        var rnn = new RNN(2, 4, new Random(0));
        var head = new Linear(4, 3, new Random(0));
        var named = network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (name, parameter) in rnn.NamedParameters())
        {
            named["recurrent." + name].Span.CopyTo(parameter.Span);
        }
        named["head.weight"].Span.CopyTo(head.Weight.Span);
        named["head.bias"].Span.CopyTo(head.NamedParameters()[1].Parameter.Span);
        var rows = Tensor.Randn(new Random(1), 3, 10);

        var output = network.Forward(rows);
        var sequence = rnn.Forward(rows.Reshape(3, 5, 2)).Output;
        var expected = head.Forward(sequence.Narrow(1, 4, 1).Reshape(3, 4));

        Assert.Equal([3, 3], output.Shape);
        Assert.Equal(expected.ToArray(), output.ToArray());
    }

    [Theory]
    [InlineData(RecurrentCell.Rnn, 1)]
    [InlineData(RecurrentCell.Lstm, 4)]
    [InlineData(RecurrentCell.Gru, 3)]
    public void Names_its_parameters_after_the_recurrent_layer_and_the_head(RecurrentCell cell, int gates)
    {
        var network = new SequenceNetwork(cell, 2, 8, 1, new Random(0));

        var shapes = network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ShapeText);

        Assert.Equal(
            ["recurrent.weight_ih_l0", "recurrent.weight_hh_l0", "recurrent.bias_ih_l0", "recurrent.bias_hh_l0", "head.weight", "head.bias"],
            shapes.Keys);
        Assert.Equal($"[{gates * 8}, 8]", shapes["recurrent.weight_hh_l0"]);
        Assert.Equal("[1, 8]", shapes["head.weight"]);
    }

    [Fact]
    public void A_recurrent_gain_draws_the_hidden_to_hidden_weights_with_that_spread()
    {
        const int hidden = 64;
        var network = new SequenceNetwork(RecurrentCell.Rnn, 1, hidden, 1, new Random(0), recurrentGain: 2);
        var plain = new SequenceNetwork(RecurrentCell.Rnn, 1, hidden, 1, new Random(0));

        double Spread(SequenceNetwork n) => Math.Sqrt(n.NamedParameters().Single(p => p.Name == "recurrent.weight_hh_l0").Parameter.ToArray().Average(w => (double)w * w));

        Assert.Equal(2 / Math.Sqrt(hidden), Spread(network), 0.01);
        // PyTorch's U(−1/√h, 1/√h) has root mean square 1/√(3h).
        Assert.Equal(1 / Math.Sqrt(3 * hidden), Spread(plain), 0.005);
    }

    [Fact]
    public void Rows_that_do_not_hold_whole_steps_are_refused_with_the_shape()
    {
        var network = new SequenceNetwork(RecurrentCell.Rnn, 3, 4, 1, new Random(0));

        var ex = Assert.Throws<ArgumentException>(() => network.Forward(Tensor.Zeros(2, 10)));

        Assert.Contains("[2, 10]", ex.Message);
        Assert.Contains("whole steps of 3", ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void A_gain_that_is_not_finite_and_positive_is_refused(double gain)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceNetwork(RecurrentCell.Rnn, 1, 4, 1, new Random(0), recurrentGain: gain));
    }
}
