using System.Text.Json;
using GradClip.Cli.Export.Onnx;
using GradClip.Data;
using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Cli.Export;

/// <summary>
/// A trained feed-forward model as an ONNX model that computes what <c>gradclip predict</c> does: raw feature rows in, missing
/// values (NaN) filled with the training means, standardized with the training statistics, through the network, and for
/// classification a softmax, so class probabilities out; for regression, values in the target's units.
/// </summary>
internal static class OnnxExport
{
    /// <summary>The graph's input: raw feature rows, [rows × features], in the model's feature order.</summary>
    public const string InputName = "features";

    /// <summary>A classifier's output: one probability per class and row.</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>A regression model's output: one value per row.</summary>
    public const string ValuesName = "values";

    // IR version 8 and operator set 17 (2022): every operator used here has had its present meaning since, and ONNX Runtime
    // and other runtimes of the last years read them.
    private const long IrVersion = 8;
    private const long OperatorSet = 17;

    /// <summary>
    /// The fields of <c>model.json</c> that the graph accounts for. A field beyond these may be something <c>predict</c> applies
    /// and the graph does not, so <see cref="ExportCommand"/> refuses such a model rather than export one that computes otherwise.
    /// </summary>
    public static readonly IReadOnlySet<string> HandledFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "format", "version", "task", "layers", "activation", "features", "target", "classes", "standardizer", "imputer", "target_standardizer", "options",
    };

    /// <summary>Builds the ONNX model of <paramref name="network"/>, a feed-forward model's <see cref="Sequential"/>, as described by <paramref name="model"/>.</summary>
    public static ModelProto Build(SavedModel model, Sequential network, string producerVersion)
    {
        var graph = new OnnxGraph("gradclip");
        graph.Input(InputName, model.FeatureNames.Count);
        string x = Standardize(graph, model.Standardizer, FillMissing(graph, model.Imputer, InputName));
        for (int i = 0; i < network.Layers.Count; i++)
        {
            x = network.Layers[i] switch
            {
                Linear linear => graph.Node("Gemm", $"layer{i}", [x, Weights(graph, $"{i}.weight", linear.Weight), Weights(graph, $"{i}.bias", linear.Bias)], OnnxGraph.Int("transB", 1)),
                ReLU => graph.Node("Relu", $"layer{i}", [x]),
                var layer => throw new InvalidOperationException($"A feed-forward model's layer {i} is a {layer.GetType().Name}, which has no ONNX form here."),
            };
        }
        bool classifier = model.Task == TaskKind.Classification;
        string output = classifier ? ProbabilitiesName : ValuesName;
        x = classifier ? x : Unstandardize(graph, model.TargetStandardizer, x);
        graph.Node(classifier ? "Softmax" : "Identity", output, [x], classifier ? [OnnxGraph.Int("axis", 1)] : []);
        graph.Output(output, model.Architecture.Outputs);

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "gradclip",
            ProducerVersion = producerVersion,
            DocString = $"A {model.Architecture.Describe()} feed-forward network trained by GradClip: input '{InputName}' takes raw feature rows, "
                + (classifier ? $"output '{ProbabilitiesName}' gives class probabilities." : $"output '{ValuesName}' gives the predicted {model.TargetName}."),
            Graph = graph.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OperatorSet });
        proto.MetadataProps.Add(Metadata("features", JsonSerializer.Serialize(model.FeatureNames)));
        proto.MetadataProps.Add(Metadata("target", model.TargetName));
        proto.MetadataProps.Add(Metadata("classes", JsonSerializer.Serialize(model.ClassNames)));
        return proto;
    }

    /// <summary>Replaces each NaN by its feature's training mean, as <see cref="MeanImputer.Transform(ReadOnlySpan{float}, Span{float})"/> does; nothing without an imputer.</summary>
    private static string FillMissing(OnnxGraph graph, MeanImputer? imputer, string input)
    {
        if (imputer is null)
        {
            return input;
        }
        float[] fills = [.. imputer.Means.Select(m => (float)m)];
        string missing = graph.Node("IsNaN", "missing", [input]);
        return graph.Node("Where", "filled", [missing, graph.Initializer("fill_values", fills, fills.Length), input]);
    }

    /// <summary>Subtracts the training means and divides by the scales, as <see cref="Standardizer.Transform(ReadOnlySpan{float})"/> does; nothing without a standardizer.</summary>
    private static string Standardize(OnnxGraph graph, Standardizer? standardizer, string input)
    {
        if (standardizer is null)
        {
            return input;
        }
        float[] means = [.. standardizer.Means.Select(m => (float)m)];
        float[] scales = [.. standardizer.Scales.Select(s => (float)s)];
        string centred = graph.Node("Sub", "centred", [input, graph.Initializer("means", means, means.Length)]);
        return graph.Node("Div", "standardized", [centred, graph.Initializer("scales", scales, scales.Length)]);
    }

    /// <summary>Takes a regression output back to the target's units, times its scale plus its mean, as <see cref="SavedModel.RestoreOutputs"/> does; nothing without a target standardizer.</summary>
    private static string Unstandardize(OnnxGraph graph, Standardizer? target, string output)
    {
        if (target is null)
        {
            return output;
        }
        string scaled = graph.Node("Mul", "target_scaled", [output, graph.Initializer("target_scale", [(float)target.Scales[0]], 1)]);
        return graph.Node("Add", "target_values", [scaled, graph.Initializer("target_mean", [(float)target.Means[0]], 1)]);
    }

    /// <summary>A parameter as an initializer, under its name in the saved model.</summary>
    private static string Weights(OnnxGraph graph, string name, Tensor tensor) =>
        graph.Initializer(name, tensor.Span, [.. tensor.Shape.Select(d => (long)d)]);

    private static StringStringEntryProto Metadata(string key, string value) => new() { Key = key, Value = value };
}
