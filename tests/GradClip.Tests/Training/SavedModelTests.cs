using System.Text.Json.Nodes;
using GradClip.Data;
using GradClip.Serialization;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Tests.Training;

public sealed class SavedModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (SavedModel Model, GradClip.Nn.Sequential Network) SaveSmallModel()
    {
        var spec = new MlpSpec(2, [4], 3);
        var network = (GradClip.Nn.Sequential)spec.Build(seed: 7);
        var standardizer = new Standardizer(["a", "b"], [1.5, -2], [2, 0]);
        var model = new SavedModel(spec, TaskKind.Classification, ["a", "b"], "kind", ["cat", "dog", "eel"], standardizer,
            new Dictionary<string, string> { ["lr"] = "0.003" });
        model.Save(_folder, network);
        return (model, network);
    }

    [Fact]
    public void Round_trips_a_transformer_and_a_convolutional_network()
    {
        var transformer = new TransformerSpec(5, 4, 8, 2, 2);
        var convolutional = new ConvNetSpec(4, [2], 1, 2);
        foreach (var (spec, features, classes, input) in new (ModelSpec, string[], string[], Tensor)[]
        {
            (transformer, ["t0", "t1", "t2", "t3", "t4"], ["a", "b", "c", "d", "e"], Tensor.FromArray([0, 4, 2, 1], 1, 4)),
            (transformer with { NormFirst = false }, ["t0", "t1", "t2", "t3", "t4"], ["a", "b", "c", "d", "e"], Tensor.FromArray([0, 4, 2, 1], 1, 4)),
            (convolutional, [.. Enumerable.Range(0, 16).Select(i => $"p{i}")], ["x", "y"], GradClip.Tests.Autograd.GradCheck.Uniform(1, -1, 1, 2, 16)),
        })
        {
            var network = spec.Build(seed: 3);
            new SavedModel(spec, TaskKind.Classification, features, "next", classes, null, new Dictionary<string, string>()).Save(_folder, network);

            var (loaded, rebuilt) = SavedModel.Load(_folder);

            Assert.Equal(spec.GetType(), loaded.Architecture.GetType());
            Assert.Equal(spec.Describe(), loaded.Architecture.Describe());
            Assert.Equal(network.Forward(input).ToArray(), rebuilt.Forward(input).ToArray());
        }
    }

    [Fact]
    public void Round_trips_the_description_and_weights_so_outputs_are_identical()
    {
        var (saved, network) = SaveSmallModel();
        var input = Tensor.FromArray([0.5f, -1, 2, 3], 2, 2);

        var (loaded, rebuilt) = SavedModel.Load(_folder);

        Assert.Equal(network.Forward(input).ToArray(), rebuilt.Forward(input).ToArray());
        Assert.Equal(saved.ClassNames, loaded.ClassNames);
        Assert.Equal(saved.FeatureNames, loaded.FeatureNames);
        Assert.Equal("kind", loaded.TargetName);
        Assert.Equal([1.5, -2], loaded.Standardizer!.Means.ToArray());
        Assert.Equal(["b"], loaded.Standardizer.ConstantFeatures.ToArray());
        Assert.Equal("0.003", loaded.Options["lr"]);
        Assert.Equal("2-4-3", loaded.Architecture.Describe());
    }

    [Fact]
    public void A_regression_model_keeps_its_target_standardizer_and_restores_outputs_to_the_target_units()
    {
        var spec = new MlpSpec(2, [3], 1);
        var network = spec.Build(0);
        var target = new Standardizer(["y"], [100], [4]);
        new SavedModel(spec, TaskKind.Regression, ["a", "b"], "y", [], null, new Dictionary<string, string>()) { TargetStandardizer = target }
            .Save(_folder, network);

        var (loaded, _) = SavedModel.Load(_folder);
        float[] outputs = [0, 1.5f, -2];
        loaded.RestoreOutputs(outputs);

        Assert.Contains("\"target_standardizer\":{\"mean\":100,\"std\":4}", File.ReadAllText(Path.Combine(_folder, "model.json")));
        Assert.Equal([100f, 106f, 92f], outputs);
    }

    [Fact]
    public void A_classifier_with_a_target_standardizer_is_rejected()
    {
        SaveSmallModel();
        string path = Path.Combine(_folder, "model.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"options\":", "\"target_standardizer\":{\"mean\":0,\"std\":1},\"options\":"));

        var ex = Assert.Throws<ModelFormatException>(() => SavedModel.Load(_folder));
        Assert.Contains("only a regression model has one", ex.Message);
    }

    [Theory]
    [InlineData("features", """["a"]""", "'features' names 1 columns, but the model takes 2")]
    [InlineData("classes", """["cat"]""", "'classes' names 1 classes")]
    [InlineData("task", "\"clustering\"", "'task' is 'clustering'")]
    [InlineData("layers", "[2, -4, 3]", "'layers' holds -4")]
    [InlineData("format", "\"onnx\"", "is not a GradClip model description")]
    [InlineData("standardizer", """{"means":[0,0],"std":[1,-1]}""", "'std' holds -1, not a finite non-negative number")]
    [InlineData("options", """{"lr":3}""", "option 'lr' must be a string")]
    public void A_description_with_a_wrong_field_is_rejected_naming_the_file_and_field(string field, string json, string problem)
    {
        SaveSmallModel();

        var ex = LoadWithField(field, json);

        Assert.Contains(problem, ex.Message);
        Assert.Equal(Path.Combine(_folder, SavedModel.DescriptionFile), ex.File);
    }

    /// <summary>Sets one field of the saved description to <paramref name="json"/> and returns the error loading it gives.</summary>
    private ModelFormatException LoadWithField(string field, string json)
    {
        string path = Path.Combine(_folder, SavedModel.DescriptionFile);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root[field] = JsonNode.Parse(json);
        File.WriteAllText(path, root.ToJsonString());
        return Assert.Throws<ModelFormatException>(() => SavedModel.Load(_folder));
    }

    [Fact]
    public void A_repeated_option_key_is_a_format_error_not_a_crash()
    {
        SaveSmallModel();
        string path = Path.Combine(_folder, SavedModel.DescriptionFile);
        string text = File.ReadAllText(path).Replace("\"options\":{\"lr\":\"0.003\"}", "\"options\":{\"lr\":\"0.003\",\"lr\":\"1\"}", StringComparison.Ordinal);
        File.WriteAllText(path, text);

        var ex = Assert.Throws<ModelFormatException>(() => SavedModel.Load(_folder));

        Assert.Contains("option 'lr' appears twice", ex.Message);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_architecture_are_rejected()
    {
        SaveSmallModel();
        string weights = Path.Combine(_folder, SavedModel.WeightsFile);
        SafeTensors.Write(weights, [("0.weight", Tensor.Zeros(4, 2)), ("0.bias", Tensor.Zeros(4)), ("2.weight", Tensor.Zeros(2, 4)), ("2.bias", Tensor.Zeros(7))]);

        var ex = Assert.Throws<ModelFormatException>(() => SavedModel.Load(_folder));

        Assert.Contains("tensor '2.weight' has shape [2, 4], but the architecture needs [3, 4]", ex.Message);
    }

    [Fact]
    public void An_architecture_larger_than_the_stored_weights_is_rejected_before_it_is_built()
    {
        SaveSmallModel();
        string path = Path.Combine(_folder, SavedModel.DescriptionFile);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["layers"] = JsonNode.Parse("[2, 1000000, 1000000, 3]");

        File.WriteAllText(path, root.ToJsonString());
        var ex = Assert.Throws<ModelFormatException>(() => SavedModel.Load(_folder));

        Assert.Contains("holds 27 weights, but the architecture", ex.Message);
    }

    [Fact]
    public void Corrupt_weights_are_named_once_in_the_error()
    {
        SaveSmallModel();
        string weights = Path.Combine(_folder, SavedModel.WeightsFile);
        File.WriteAllBytes(weights, [1, 2, 3]);

        var ex = Assert.Throws<ModelFormatException>(() => SavedModel.Load(_folder));

        Assert.StartsWith(weights + ": ", ex.Message);
        Assert.Equal(2, ex.Message.Split(weights).Length);
        Assert.Equal(weights, ex.File);
    }

    [Fact]
    public void A_folder_without_a_model_says_what_it_expected()
    {
        var ex = Assert.Throws<ModelFormatException>(() => SavedModel.Load(_folder));

        Assert.Contains("output folder of 'gradclip train'", ex.Message);
    }

    [Fact]
    public void Invalid_json_is_named_as_such()
    {
        SaveSmallModel();
        File.WriteAllText(Path.Combine(_folder, SavedModel.DescriptionFile), "{\"format\": ");

        Assert.Contains("is not valid JSON", Assert.Throws<ModelFormatException>(() => SavedModel.Load(_folder)).Message);
    }

    private (SavedModel Model, GradClip.Nn.Module<Tensor, Tensor> Network) SaveSequenceModel()
    {
        var spec = new SequenceSpec(GradClip.Nn.RecurrentCell.Lstm, Steps: 3, StepInputs: 2, Hidden: 4, Outputs: 1, RecurrentGain: 2);
        var network = spec.Build(seed: 1);
        var model = new SavedModel(spec, TaskKind.Regression, ["a0", "b0", "a1", "b1", "a2", "b2"], "y", [], null, new Dictionary<string, string>());
        model.Save(_folder, network);
        return (model, network);
    }

    [Fact]
    public void A_recurrent_model_round_trips_with_its_cell_and_sizes_so_outputs_are_identical()
    {
        var (_, network) = SaveSequenceModel();
        var input = Tensor.Randn(new Random(2), 4, 6);

        var (loaded, rebuilt) = SavedModel.Load(_folder);

        Assert.Equal("lstm 3x2-4-1", loaded.Architecture.Describe());
        Assert.Equal(network.Forward(input).ToArray(), rebuilt.Forward(input).ToArray());
        Assert.Contains("\"format\":\"gradclip-sequence\"", File.ReadAllText(Path.Combine(_folder, SavedModel.DescriptionFile)));
    }

    [Theory]
    [InlineData("cell", "\"transformer\"", "'cell' is 'transformer'; expected 'rnn', 'lstm' or 'gru'")]
    [InlineData("hidden", "0", "'hidden' holds 0, not a size")]
    [InlineData("steps", "2", "'features' names 6 columns, but the model takes 4")]
    [InlineData("outputs", "2", "a regression model has one output")]
    public void A_recurrent_description_with_a_wrong_field_is_rejected_naming_the_field(string field, string json, string problem)
    {
        SaveSequenceModel();

        Assert.Contains(problem, LoadWithField(field, json).Message);
    }

    [Fact]
    public void A_transformer_description_without_norm_first_loads_pre_layer_norm_blocks_and_a_wrong_one_is_rejected()
    {
        var spec = new TransformerSpec(5, 4, 8, 2, 1, NormFirst: false);
        new SavedModel(spec, TaskKind.Classification, ["t0", "t1", "t2", "t3", "t4"], "next", ["a", "b", "c", "d", "e"], null, new Dictionary<string, string>())
            .Save(_folder, spec.Build(seed: 3));
        string path = Path.Combine(_folder, SavedModel.DescriptionFile);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.False(root["norm_first"]!.GetValue<bool>());
        root.Remove("norm_first");
        File.WriteAllText(path, root.ToJsonString());

        var (loaded, _) = SavedModel.Load(_folder);

        Assert.Equal("transformer 1x8 (2 heads), context 4, vocabulary 5", loaded.Architecture.Describe());
        Assert.Contains("'norm_first' holds 1, not true or false.", LoadWithField("norm_first", "1").Message);
    }
}
