using System.Text.Json;
using GradClip.Data;
using GradClip.Nn;

namespace GradClip.Training;

/// <summary>The strict reader of <c>model.json</c>: every field's type, range and agreement with the others is checked.</summary>
internal static class SavedModelJson
{
    /// <summary>The largest description accepted (it holds names and two numbers per feature).</summary>
    public const int MaxBytes = 16 << 20;

    private const int MaxWidth = 1 << 20;

    /// <summary>Parses <paramref name="text"/>, naming <paramref name="path"/> and the field in any error.</summary>
    public static SavedModel Parse(string text, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(path, $"is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException(path, "must hold a JSON object.");
            }
            try
            {
                var reader = new Reader(root, path);
                string format = reader.String("format");
                string[] formats = [SavedModel.FeedForwardFormat, SavedModel.SequenceFormat, SavedModel.TransformerFormat, SavedModel.ConvNetFormat];
                if (!formats.Contains(format) || reader.Integer("version") != 1)
                {
                    throw new ModelFormatException(path,
                        $"is not a GradClip model description (format {string.Join(", ", formats.Select(f => $"'{f}'"))}; version 1).");
                }
                return reader.Model(format);
            }
            catch (InvalidOperationException ex)
            {
                // JsonDocument accepts an escaped lone surrogate (\ud800) but throws this when the name or string is read.
                throw new ModelFormatException(path, $"holds a name or string that is not valid text: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Reads the fields of one description.</summary>
    private sealed class Reader(JsonElement root, string path)
    {
        public SavedModel Model(string format)
        {
            var task = String("task") switch
            {
                "classification" => TaskKind.Classification,
                "regression" => TaskKind.Regression,
                var other => throw Error($"'task' is '{other}'; expected 'classification' or 'regression'."),
            };
            ModelSpec spec = format switch
            {
                SavedModel.SequenceFormat => Sequence(),
                SavedModel.TransformerFormat => Transformer(),
                SavedModel.ConvNetFormat => ConvNet(),
                _ => FeedForward(),
            };
            var features = Strings("features");
            var classes = Strings("classes");
            CheckAgreement(task, spec, features, classes);
            string target = String("target");
            return new SavedModel(spec, task, features, target, classes, Standardizer(features), Options())
            {
                Imputer = Imputer(features),
                TargetStandardizer = TargetStandardizer(task, target),
            };
        }

        private MlpSpec FeedForward()
        {
            var layers = Array("layers").Select(e => Width(e, "layers")).ToList();
            if (layers.Count < 2)
            {
                throw Error("'layers' needs at least the input and the output width.");
            }
            if (String("activation") != "relu")
            {
                throw Error("'activation' must be 'relu'.");
            }
            return new MlpSpec(layers[0], layers.Skip(1).SkipLast(1).ToList(), layers[^1], Dropout: Dropout());
        }

        /// <summary>The optional drop probability after each hidden layer (written only when above 0).</summary>
        private float Dropout()
        {
            if (!root.TryGetProperty("dropout", out var field))
            {
                return 0;
            }
            return field.ValueKind == JsonValueKind.Number && field.TryGetSingle(out float p) && p > 0 && p < 1
                ? p
                : throw Error($"'dropout' holds {field.GetRawText()}, not a probability above 0 and below 1.");
        }

        /// <summary>Whether the blocks are pre-LayerNorm: true when 'norm_first' is absent (models saved before post-norm existed).</summary>
        private bool NormFirst() => !root.TryGetProperty("norm_first", out var field) || field.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"'norm_first' holds {field.GetRawText()}, not true or false."),
        };

        private TransformerSpec Transformer()
        {
            var spec = new TransformerSpec(Width(Field("vocabulary"), "vocabulary"), Width(Field("context"), "context"),
                Width(Field("embed_dim"), "embed_dim"), Width(Field("heads"), "heads"), Width(Field("layers"), "layers"), NormFirst());
            return spec.EmbedDim % spec.Heads == 0 && spec.ParameterCount <= MaxWidth * 64L
                ? spec
                : throw Error($"'heads' ({spec.Heads}) must divide 'embed_dim' ({spec.EmbedDim}), and the model must have at most {MaxWidth * 64L} weights.");
        }

        private ConvNetSpec ConvNet()
        {
            var channels = Array("channels").Select(e => Width(e, "channels")).ToList();
            var spec = new ConvNetSpec(Width(Field("side"), "side"), channels, Width(Field("convolutions_per_stage"), "convolutions_per_stage"),
                Width(Field("outputs"), "outputs"));
            return channels.Count is > 0 and < 16 && spec.Side % (1 << channels.Count) == 0 && spec.ParameterCount <= MaxWidth * 64L
                ? spec
                : throw Error($"'side' ({spec.Side}) must be a multiple of 2 to the power of the stages ({channels.Count}, 1 to 15), and the model must have at most {MaxWidth * 64L} weights.");
        }

        private SequenceSpec Sequence()
        {
            var cell = String("cell") switch
            {
                "rnn" => RecurrentCell.Rnn,
                "lstm" => RecurrentCell.Lstm,
                "gru" => RecurrentCell.Gru,
                var other => throw Error($"'cell' is '{other}'; expected 'rnn', 'lstm' or 'gru'."),
            };
            var spec = new SequenceSpec(cell, Width(Field("steps"), "steps"), Width(Field("step_inputs"), "step_inputs"),
                Width(Field("hidden"), "hidden"), Width(Field("outputs"), "outputs"));
            return (long)spec.Steps * spec.StepInputs <= MaxWidth ? spec : throw Error($"'steps' × 'step_inputs' is more than {MaxWidth} inputs.");
        }

        public string String(string name) =>
            Field(name) is { ValueKind: JsonValueKind.String } e ? e.GetString()! : throw Error($"'{name}' must be a string.");

        public long Integer(string name) =>
            Field(name) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out long v) ? v : throw Error($"'{name}' must be an integer.");

        private void CheckAgreement(TaskKind task, ModelSpec spec, List<string> features, List<string> classes)
        {
            if (features.Count != spec.Inputs)
            {
                throw Error($"'features' names {features.Count} columns, but the model takes {spec.Inputs}.");
            }
            if (task == TaskKind.Classification && (classes.Count < 2 || classes.Count != spec.Outputs))
            {
                throw Error($"'classes' names {classes.Count} classes, but the last layer has {spec.Outputs} outputs (at least 2 needed).");
            }
            if (task == TaskKind.Regression && (classes.Count != 0 || spec.Outputs != 1))
            {
                throw Error("a regression model has one output and no classes.");
            }
        }

        private Standardizer? Standardizer(List<string> features)
        {
            var field = Field("standardizer");
            if (field.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (field.ValueKind != JsonValueKind.Object)
            {
                throw Error("'standardizer' must be an object or null.");
            }
            var statistics = new Reader(field, path);
            var means = statistics.Numbers("means", features.Count, allowNegative: true);
            var deviations = statistics.Numbers("std", features.Count, allowNegative: false);
            return new Standardizer(features, means, deviations);
        }

        /// <summary>The fill values for missing inputs; models saved before they existed, or trained without them, have none.</summary>
        private MeanImputer? Imputer(List<string> features)
        {
            if (!root.TryGetProperty("imputer", out var field) || field.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (field.ValueKind != JsonValueKind.Object)
            {
                throw Error("'imputer' must be an object or null.");
            }
            return new MeanImputer(features, new Reader(field, path).Numbers("means", features.Count, allowNegative: true));
        }

        /// <summary>A regression target's training mean and standard deviation (written only when the target was standardized).</summary>
        private Standardizer? TargetStandardizer(TaskKind task, string target)
        {
            if (!root.TryGetProperty("target_standardizer", out var field))
            {
                return null;
            }
            if (task != TaskKind.Regression || field.ValueKind != JsonValueKind.Object)
            {
                throw Error("'target_standardizer' must be an object with 'mean' and 'std', and only a regression model has one.");
            }
            var statistics = new Reader(field, path);
            return new Standardizer([target], [statistics.Finite("mean", allowNegative: true)], [statistics.Finite("std", allowNegative: false)]);
        }

        private double Finite(string name, bool allowNegative) =>
            Field(name) is { ValueKind: JsonValueKind.Number } e && e.TryGetDouble(out double v) && double.IsFinite(v) && (allowNegative || v >= 0)
                ? v
                : throw Error($"'{name}' must be a finite{(allowNegative ? "" : " non-negative")} number.");

        private Dictionary<string, string> Options()
        {
            var field = Field("options");
            if (field.ValueKind != JsonValueKind.Object)
            {
                throw Error("'options' must be an object of strings.");
            }
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var option in field.EnumerateObject())
            {
                string value = option.Value.ValueKind == JsonValueKind.String
                    ? option.Value.GetString()!
                    : throw Error($"option '{option.Name}' must be a string.");
                if (!options.TryAdd(option.Name, value))
                {
                    throw Error($"option '{option.Name}' appears twice.");
                }
            }
            return options;
        }

        private List<double> Numbers(string name, int count, bool allowNegative)
        {
            var values = Array(name).Select(e =>
                e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double v) && double.IsFinite(v) && (allowNegative || v >= 0)
                    ? v
                    : throw Error($"'{name}' holds {e.GetRawText()}, not a finite{(allowNegative ? "" : " non-negative")} number.")).ToList();
            return values.Count == count ? values : throw Error($"'{name}' has {values.Count} values for {count} features.");
        }

        private List<string> Strings(string name) =>
            Array(name).Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error($"'{name}' must hold strings only.")).ToList();

        private JsonElement.ArrayEnumerator Array(string name) =>
            Field(name) is { ValueKind: JsonValueKind.Array } e ? e.EnumerateArray() : throw Error($"'{name}' must be an array.");

        private int Width(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int w) && w >= 1 && w <= MaxWidth
                ? w
                : throw Error($"'{name}' holds {e.GetRawText()}, not a size between 1 and {MaxWidth}.");

        private JsonElement Field(string name) =>
            root.TryGetProperty(name, out var e) ? e : throw Error($"has no '{name}'.");

        private ModelFormatException Error(string problem) => new(path, problem);
    }
}
