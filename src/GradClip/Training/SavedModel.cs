using System.Globalization;
using System.Text.Json;
using GradClip.Data;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Serialization;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>
/// A trained model (feed-forward or recurrent) as saved on disk: <c>model.json</c> (architecture, feature and class names, the
/// standardizer's statistics, the options it was trained with) beside <c>model.safetensors</c> (the weights).
/// </summary>
/// <param name="Architecture">The network's shape.</param>
/// <param name="Task">Classification or regression.</param>
/// <param name="FeatureNames">The input columns, in order.</param>
/// <param name="TargetName">The column the model predicts.</param>
/// <param name="ClassNames">The class labels by output index (empty for regression).</param>
/// <param name="Standardizer">The statistics inputs are standardized with, or null when the model takes raw features.</param>
/// <param name="Options">The training options, as text, for the record.</param>
public sealed record SavedModel(
    ModelSpec Architecture,
    TaskKind Task,
    IReadOnlyList<string> FeatureNames,
    string TargetName,
    IReadOnlyList<string> ClassNames,
    Standardizer? Standardizer,
    IReadOnlyDictionary<string, string> Options)
{
    /// <summary>The description's file name.</summary>
    public const string DescriptionFile = "model.json";

    /// <summary>The weights' file name.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>The format name of a feed-forward model's description.</summary>
    internal const string FeedForwardFormat = "gradclip-mlp";

    /// <summary>The format name of a recurrent sequence model's description.</summary>
    internal const string SequenceFormat = "gradclip-sequence";

    /// <summary>The format name of a Transformer language model's description.</summary>
    internal const string TransformerFormat = "gradclip-transformer";

    /// <summary>The format name of a convolutional network's description.</summary>
    internal const string ConvNetFormat = "gradclip-cnn";

    private string Format => Architecture switch
    {
        SequenceSpec => SequenceFormat,
        TransformerSpec => TransformerFormat,
        ConvNetSpec => ConvNetFormat,
        _ => FeedForwardFormat,
    };

    /// <summary>Writes both files into <paramref name="folder"/>, each atomically.</summary>
    public void Save(string folder, Module network)
    {
        ArgumentNullException.ThrowIfNull(network);
        SafeTensors.Write(Path.Combine(folder, WeightsFile), network.NamedParameters(),
            new Dictionary<string, string> { ["format"] = Format });
        AtomicFile.WriteText(Path.Combine(folder, DescriptionFile), ToJson());
    }

    /// <summary>Reads and checks both files in <paramref name="folder"/> and rebuilds the network with its weights.</summary>
    public static (SavedModel Model, Module<Tensor, Tensor> Network) Load(string folder)
    {
        string descriptionPath = Path.Combine(folder, DescriptionFile);
        if (!System.IO.File.Exists(descriptionPath))
        {
            throw new ModelFormatException(descriptionPath, $"not found: is '{folder}' the output folder of 'gradclip train'?");
        }
        var model = SavedModelJson.Parse(ReadText(descriptionPath), descriptionPath);
        string weightsPath = Path.Combine(folder, WeightsFile);
        SafeTensorsContent weights;
        try
        {
            weights = SafeTensors.Read(weightsPath);
        }
        catch (SafeTensorsFormatException ex)
        {
            throw new ModelFormatException(weightsPath, ex.Problem, ex);
        }
        // The architecture comes from a file too: check it against the weights actually present before building it.
        long stored = weights.Tensors.Sum(t => (long)t.Tensor.Count);
        if (model.Architecture.ParameterCount != stored)
        {
            throw new ModelFormatException(weightsPath,
                $"holds {stored} weights, but the architecture {model.Architecture.Describe()} in model.json has {model.Architecture.ParameterCount}.");
        }
        var network = model.Architecture.Build(seed: 0);
        LoadWeights(network, weights, weightsPath);
        return (model, network);
    }

    /// <summary>The training means that missing inputs (NaN) are filled with, or null when the model was trained without missing values.</summary>
    public MeanImputer? Imputer { get; init; }

    /// <summary>
    /// The regression target's training mean and standard deviation when the network was trained on the standardized target
    /// (its outputs are then taken back to the target's units by <see cref="RestoreOutputs"/>); null otherwise.
    /// </summary>
    public Standardizer? TargetStandardizer { get; init; }

    /// <summary>Takes the network's outputs back to the target's units, in place, when it was trained on a standardized target.</summary>
    public void RestoreOutputs(Span<float> outputs) => TargetStandardizer?.InverseTransform(outputs);

    /// <summary>Turns raw feature rows into the network's input: missing values filled and standardized when the model was trained that way.</summary>
    public float[] PrepareInputs(ReadOnlySpan<float> rows)
    {
        float[] inputs = rows.ToArray();
        Imputer?.Transform(inputs, inputs);
        Standardizer?.Transform(inputs, inputs);
        return inputs;
    }

    private string ToJson() => MetricsFiles.Json(json =>
    {
        json.WriteString("format", Format);
        json.WriteNumber("version", 1);
        json.WriteString("task", Task == TaskKind.Classification ? "classification" : "regression");
        WriteArchitecture(json);
        Strings(json, "features", FeatureNames);
        json.WriteString("target", TargetName);
        Strings(json, "classes", ClassNames);
        if (Standardizer is null)
        {
            json.WriteNull("standardizer");
        }
        else
        {
            json.WriteStartObject("standardizer");
            Numbers(json, "means", Standardizer.Means);
            Numbers(json, "std", Standardizer.StandardDeviations);
            json.WriteEndObject();
        }
        if (Imputer is null)
        {
            json.WriteNull("imputer");
        }
        else
        {
            json.WriteStartObject("imputer");
            Numbers(json, "means", Imputer.Means);
            json.WriteEndObject();
        }
        if (TargetStandardizer is not null)
        {
            json.WriteStartObject("target_standardizer");
            json.WriteNumber("mean", TargetStandardizer.Means[0]);
            json.WriteNumber("std", TargetStandardizer.StandardDeviations[0]);
            json.WriteEndObject();
        }
        json.WriteStartObject("options");
        foreach (var (key, value) in Options)
        {
            json.WriteString(key, value);
        }
        json.WriteEndObject();
    });

    private void WriteArchitecture(Utf8JsonWriter json)
    {
        switch (Architecture)
        {
            case MlpSpec mlp:
                json.WriteStartArray("layers");
                foreach (int width in new[] { mlp.Inputs }.Concat(mlp.Hidden).Append(mlp.Outputs))
                {
                    json.WriteNumberValue(width);
                }
                json.WriteEndArray();
                json.WriteString("activation", "relu");
                if (mlp.Dropout > 0)
                {
                    json.WriteNumber("dropout", mlp.Dropout);
                }
                break;
            case SequenceSpec sequence:
                json.WriteString("cell", sequence.Cell.ToString().ToLowerInvariant());
                json.WriteNumber("steps", sequence.Steps);
                json.WriteNumber("step_inputs", sequence.StepInputs);
                json.WriteNumber("hidden", sequence.Hidden);
                json.WriteNumber("outputs", sequence.Outputs);
                break;
            case TransformerSpec transformer:
                json.WriteNumber("vocabulary", transformer.Vocabulary);
                json.WriteNumber("context", transformer.Context);
                json.WriteNumber("embed_dim", transformer.EmbedDim);
                json.WriteNumber("heads", transformer.Heads);
                json.WriteNumber("layers", transformer.Layers);
                json.WriteBoolean("norm_first", transformer.NormFirst);
                break;
            case ConvNetSpec convolutional:
                json.WriteNumber("side", convolutional.Side);
                json.WriteStartArray("channels");
                foreach (int channels in convolutional.Channels)
                {
                    json.WriteNumberValue(channels);
                }
                json.WriteEndArray();
                json.WriteNumber("convolutions_per_stage", convolutional.ConvolutionsPerStage);
                json.WriteNumber("outputs", convolutional.Outputs);
                break;
            default:
                throw new NotSupportedException($"A {Architecture.GetType().Name} cannot be saved.");
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string v in values)
        {
            json.WriteStringValue(v);
        }
        json.WriteEndArray();
    }

    private static void Numbers(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (double v in values)
        {
            json.WriteNumberValue(v);
        }
        json.WriteEndArray();
    }

    private static string ReadText(string path)
    {
        try
        {
            return new System.Text.UTF8Encoding(false).GetString(RegularFile.ReadAllBytes(path, SavedModelJson.MaxBytes));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, $"cannot be read: {ex.Message}", ex);
        }
    }

    private static void LoadWeights(Module network, SafeTensorsContent weights, string path)
    {
        var expected = network.NamedParameters();
        var found = weights.Tensors.ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        foreach (var (name, parameter) in expected)
        {
            if (!found.Remove(name, out var tensor))
            {
                throw new ModelFormatException(path, $"has no tensor '{name}', which the architecture in model.json needs.");
            }
            if (!tensor.HasShape([.. parameter.Shape]))
            {
                throw new ModelFormatException(path, $"tensor '{name}' has shape {tensor.ShapeText}, but the architecture needs {parameter.ShapeText}.");
            }
            if (!BestWeights.AllFinite(tensor.Span))
            {
                throw new ModelFormatException(path,
                    $"tensor '{name}' holds NaN or infinite weights, so the model cannot predict: the run that saved it diverged; train it again (a lower --lr, or clipping).");
            }
            tensor.Span.CopyTo(parameter.Span);
        }
        if (found.Count > 0)
        {
            throw new ModelFormatException(path, $"holds tensors the architecture does not have: {string.Join(", ", found.Keys.Select(k => $"'{k}'"))}.");
        }
    }

    /// <summary>The options recorded with a model, formatted invariantly.</summary>
    public static string OptionText(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
