using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Tests.Training;

public class ModelSpecTests
{
    public static TheoryData<ModelSpec> Specs() =>
    [
        new MlpSpec(10, [64, 32], 3),
        new MlpSpec(4, [], 1),
        new SequenceSpec(RecurrentCell.Rnn, 50, 1, 32, 1),
        new SequenceSpec(RecurrentCell.Lstm, 7, 3, 5, 2),
        new SequenceSpec(RecurrentCell.Gru, 4, 2, 6, 3, RecurrentGain: 1.5),
        new ConvNetSpec(8, [3, 5], 2, 4),
    ];

    [Fact]
    public void A_transformer_spec_counts_what_the_built_model_holds_and_reads_all_but_the_last_column()
    {
        var spec = new TransformerSpec(Vocabulary: 11, Context: 6, EmbedDim: 8, Heads: 2, Layers: 3);
        var model = spec.Build(0);

        Assert.Equal(spec.ParameterCount, model.Parameters().Sum(p => (long)p.Count));
        Assert.Equal(7, spec.Inputs);
        Assert.Equal([2, 6, 11], model.Forward(Tensor.Zeros(2, 6)).Shape);
        Assert.Equal(ModelKind.Transformer, spec.Kind);
        Assert.Equal(TrainingObjective.NextToken, spec.Objective);
        Assert.Equal("transformer 3x8 (2 heads), context 6, vocabulary 11", spec.Describe());
    }

    [Fact]
    public void A_post_layer_norm_transformer_spec_builds_post_norm_blocks_of_the_same_size()
    {
        var spec = new TransformerSpec(Vocabulary: 11, Context: 6, EmbedDim: 8, Heads: 2, Layers: 3, NormFirst: false);
        var model = spec.Build(0);
        var input = Tensor.FromArray([1, 2, 3, 4, 5, 6], 1, 6);

        Assert.Equal(spec.ParameterCount, model.Parameters().Sum(p => (long)p.Count));
        Assert.Equal("post-LN transformer 3x8 (2 heads), context 6, vocabulary 11", spec.Describe());
        Assert.Equal(new TransformerLanguageModel(11, 6, 8, 2, 3, new Generator(0), normFirst: false).Forward(input).ToArray(), model.Forward(input).ToArray());
        // The same weights wired the other way give other logits.
        Assert.NotEqual((spec with { NormFirst = true }).Build(0).Forward(input).ToArray(), model.Forward(input).ToArray());
    }

    [Fact]
    public void A_convolutional_spec_takes_the_deep_cnn_rule_of_thumb()
    {
        var spec = new ConvNetSpec(16, [8, 16, 16], 2, 4);

        Assert.Equal(ModelKind.DeepCnn, spec.Kind);
        Assert.Equal(256, spec.Inputs);
        Assert.Equal(TrainingObjective.RowTargets, spec.Objective);
        Assert.Equal("cnn 16x16, 3 stages of 2 conv3x3 (8-16-16 channels), 4 outputs", spec.Describe());
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_parameter_count_is_what_the_built_network_holds(ModelSpec spec)
    {
        var network = spec.Build(0);

        Assert.Equal(spec.ParameterCount, network.Parameters().Sum(p => (long)p.Count));
        Assert.Contains(network.NamedParameters(), p => p.Name == spec.OutputLayerName + ".weight");
        Assert.Equal([2, spec.Outputs], network.Forward(Tensor.Zeros(2, spec.Inputs)).Shape);
    }

    [Fact]
    public void Sequence_models_describe_their_cell_and_take_the_recurrent_rule_of_thumb()
    {
        var spec = new SequenceSpec(RecurrentCell.Lstm, 50, 2, 32, 1);

        Assert.Equal("lstm 50x2-32-1", spec.Describe());
        Assert.Equal(100, spec.Inputs);
        Assert.Equal(ModelKind.RecurrentNetwork, spec.Kind);
        Assert.Equal(ModelKind.SmallFeedForward, new MlpSpec(2, [4], 3).Kind);
    }

    [Fact]
    public void Kaiming_normal_weights_have_a_spread_of_root_two_over_fan_in_and_default_biases()
    {
        var kaiming = (Sequential)new MlpSpec(256, [256], 2, WeightInit.KaimingNormal).Build(0);
        var plain = (Sequential)new MlpSpec(256, [256], 2).Build(0);

        double Rms(Sequential n, string name) => Math.Sqrt(n.NamedParameters().Single(p => p.Name == name).Parameter.ToArray().Average(w => (double)w * w));

        Assert.Equal(Math.Sqrt(2.0 / 256), Rms(kaiming, "0.weight"), 0.002);
        Assert.Equal(Math.Sqrt(1.0 / (3 * 256)), Rms(plain, "0.weight"), 0.002);
        Assert.InRange(kaiming.NamedParameters().Single(p => p.Name == "0.bias").Parameter.ToArray().Max(Math.Abs), 0, 1 / 16f);
    }

    [Fact]
    public void The_same_seed_builds_the_same_sequence_network()
    {
        var spec = new SequenceSpec(RecurrentCell.Rnn, 5, 1, 8, 1, RecurrentGain: 2);

        var a = spec.Build(4).Parameters().SelectMany(p => p.ToArray());
        var b = spec.Build(4).Parameters().SelectMany(p => p.ToArray());

        Assert.Equal(a, b);
    }

    [Fact]
    public void A_sequence_model_with_a_zero_size_is_refused_with_its_shape()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceSpec(RecurrentCell.Rnn, 5, 1, 0, 1).Build(0));

        Assert.Contains("rnn 5x1-0-1", ex.Message);
    }
}
