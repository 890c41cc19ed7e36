using GradClip.Cli.Export;
using GradClip.Cli.Predict;
using GradClip.Data;
using GradClip.Nn;
using GradClip.Training;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GradClip.Cli.Tests.Export;

public sealed class OnnxExportTests
{
    private static (SavedModel Model, Sequential Network) Model(TaskKind task, Standardizer? standardizer)
    {
        var spec = new MlpSpec(2, [5], task == TaskKind.Classification ? 3 : 1);
        var model = new SavedModel(spec, task, ["a", "b"], "y", task == TaskKind.Classification ? ["x", "y", "z"] : [], standardizer,
            new Dictionary<string, string>());
        return (model, (Sequential)spec.Build(seed: 3));
    }

    [Fact]
    public void Without_a_standardizer_the_features_go_straight_into_the_first_layer_and_a_regression_ends_in_its_values()
    {
        var (model, network) = Model(TaskKind.Regression, standardizer: null);
        var random = new Random(2);
        float[] features = [.. Enumerable.Range(0, 100).Select(_ => (float)(random.NextDouble() * 8 - 4))];

        var proto = OnnxExport.Build(model, network, "0.0.0");
        using var session = new InferenceSession(proto.ToByteArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(features, [50, 2]))]);
        float[] runtime = [.. results.Single().AsEnumerable<float>()];
        var predict = Predictions.Of(model, network, features, 50, "--input");

        Assert.Equal(["Gemm", "Relu", "Gemm", "Identity"], proto.Graph.Node.Select(n => n.OpType));
        Assert.Equal("features", proto.Graph.Node[0].Input[0]);
        Assert.Equal("values", results.Single().Name);
        Assert.Equal(50, runtime.Length);
        for (int i = 0; i < 50; i++)
        {
            Assert.True(Math.Abs(predict.Values[i] - runtime[i]) <= 1e-5, $"row {i}: predict {predict.Values[i]}, ONNX Runtime {runtime[i]}");
        }
    }

    [Fact]
    public void The_standardization_subtracts_the_means_and_divides_by_the_scales_leaving_a_constant_feature_unscaled()
    {
        var (model, network) = Model(TaskKind.Classification, new Standardizer(["a", "b"], [1.5, -2], [0, 4]));

        var graph = OnnxExport.Build(model, network, "0.0.0").Graph;

        Assert.Equal(["Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax"], graph.Node.Select(n => n.OpType));
        Assert.Equal([1.5f, -2f], graph.Initializer.Single(t => t.Name == "means").FloatData);
        Assert.Equal([1f, 4f], graph.Initializer.Single(t => t.Name == "scales").FloatData);
        Assert.Equal(1, graph.Node[^1].Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal(network.Layers.OfType<Linear>().First().Weight.ToArray(), graph.Initializer.Single(t => t.Name == "0.weight").FloatData);
        Assert.Equal([5L, 2L], graph.Initializer.Single(t => t.Name == "0.weight").Dims);
    }
}
