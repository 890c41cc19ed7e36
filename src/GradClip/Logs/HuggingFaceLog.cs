using System.Globalization;
using System.Text.Json;
using GradClip.Diagnosis;

namespace GradClip.Logs;

/// <summary>
/// Reads Hugging Face Trainer's <c>trainer_state.json</c>. Each <c>log_history</c> entry is a training log (<c>loss</c>,
/// the mean over the logging interval; <c>grad_norm</c>, the norm before clipping of the logged step;
/// <c>learning_rate</c>; <c>epoch</c>, fractional), an evaluation (<c>eval_*</c>) or the run's closing summary
/// (<c>train_runtime</c>…, skipped). <c>global_step</c> (else <c>max_steps</c>) is how many steps the run took; the
/// Trainer clips at <c>max_grad_norm</c>, 1.0 unless set, which the file does not record.
/// </summary>
internal static class HuggingFaceLog
{
    /// <summary>The Trainer's default <c>max_grad_norm</c>.</summary>
    public const double DefaultMaxNorm = 1.0;

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static LogReading Read(string path, LogOptions options)
    {
        byte[] json = LogFile.ReadAll(path);
        int start = json.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var literals = new NonFiniteLiterals();
        literals.Quote(json.AsSpan(start), start);
        var state = new State(path, literals);
        try
        {
            var reader = new Utf8JsonReader(json.AsSpan(start), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            state.ReadDocument(ref reader, start);
        }
        catch (JsonException ex)
        {
            throw JsonNumbers.Error(path, ex, json.AsSpan(start), start);
        }
        return state.Finish(options);
    }

    /// <summary>What the document holds, gathered while reading it.</summary>
    private sealed class State(string path, NonFiniteLiterals literals)
    {
        private readonly TraceCollector _collector = new([]);
        private readonly Dictionary<string, double?> _entry = new(StringComparer.Ordinal);
        private bool _sawLogHistory;
        private int? _globalStep;
        private int? _maxSteps;
        private int? _loggingSteps;
        private int _normsSeen;

        public void ReadDocument(ref Utf8JsonReader reader, int start)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new LogFormatException(path, "a trainer_state.json is a JSON object, but this file does not start with '{'.", byteOffset: start + reader.TokenStartIndex);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = JsonNumbers.Text(ref reader, path, start);
                reader.Read();
                switch (name)
                {
                    case "log_history":
                        ReadHistory(ref reader, start);
                        break;
                    case "global_step":
                        _globalStep = Count(ref reader, name, start);
                        break;
                    case "max_steps":
                        _maxSteps = Count(ref reader, name, start);
                        break;
                    case "logging_steps":
                        _loggingSteps = Count(ref reader, name, start);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }

        public LogReading Finish(LogOptions options)
        {
            if (!_sawLogHistory)
            {
                throw new LogFormatException(path, "has no \"log_history\": is it a Hugging Face Trainer's trainer_state.json?");
            }
            var notes = new List<string>();
            var setup = Setup(options, notes);
            var trace = _collector.Build(setup);
            if (_normsSeen == 0)
            {
                notes.Add("log_history holds no grad_norm (the Trainer logs it since transformers 4.38): the verdicts rest on the loss alone.");
            }
            if (_loggingSteps is { } every && every > 1)
            {
                notes.Add($"The Trainer logged every {Text(every)} steps: loss is the mean over each interval, grad_norm the norm of the logged step only.");
            }
            var columns = new List<KeyValuePair<string, string>> { new("step", "step"), new("loss", "loss") };
            if (_normsSeen > 0)
            {
                columns.Add(new("grad_norm", "grad_norm"));
            }
            columns.Add(new("learning_rate", "learning_rate"));
            return new LogReading(trace, LogFormat.HuggingFaceTrainer, path, columns, notes);
        }

        private RunSetup Setup(LogOptions options, List<string> notes)
        {
            var setup = new RunSetup { Source = "Hugging Face Trainer trainer_state.json", TotalSteps = _globalStep ?? _maxSteps };
            if (options.MaxNorm is 0)
            {
                return setup with { Clipping = ClippingKind.None };
            }
            if (options.MaxNorm is { } given)
            {
                return setup with { Clipping = ClippingKind.Norm, MaxNorm = given };
            }
            notes.Add($"The log does not record max_grad_norm: the Trainer's default, {Text(DefaultMaxNorm)}, is assumed (give --max-norm if the run set another, --max-norm 0 if it did not clip).");
            return setup with { Clipping = ClippingKind.Norm, MaxNorm = DefaultMaxNorm, MaxNormAssumed = true };
        }

        private void ReadHistory(ref Utf8JsonReader reader, int start)
        {
            _sawLogHistory = true;
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new LogFormatException(path, "\"log_history\" should be an array of entries.", byteOffset: start + reader.TokenStartIndex);
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                long entryOffset = start + reader.TokenStartIndex;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new LogFormatException(path, "each entry of \"log_history\" should be an object.", byteOffset: entryOffset);
                }
                ReadEntry(ref reader, start);
                AddEntry(entryOffset);
            }
        }

        private void ReadEntry(ref Utf8JsonReader reader, int start)
        {
            _entry.Clear();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string key = JsonNumbers.Text(ref reader, path, start);
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
                else if (reader.TokenType is JsonTokenType.Number or JsonTokenType.Null || IsFigure(key) || literals.TryGet(start + reader.TokenStartIndex, out _))
                {
                    _entry[key] = JsonNumbers.Read(ref reader, literals, path, key, start);
                }
            }
        }

        private void AddEntry(long offset)
        {
            if (_entry.ContainsKey("train_runtime"))
            {
                return;
            }
            int? step = _entry.TryGetValue("step", out var s) && s is { } v && double.IsFinite(v) ? (int)v : null;
            double? epoch = _entry.GetValueOrDefault("epoch");
            if (_entry.Keys.Any(k => k.StartsWith("eval_", StringComparison.Ordinal)))
            {
                _collector.AddEpoch(Evaluation(epoch, step));
                return;
            }
            double? loss = _entry.GetValueOrDefault("loss");
            double? norm = _entry.GetValueOrDefault("grad_norm");
            if (step is null || loss is null && norm is null)
            {
                return;
            }
            _normsSeen += norm is null ? 0 : 1;
            var row = new TraceStep(step.Value, epoch, loss, norm, LearningRate: _entry.GetValueOrDefault("learning_rate"));
            _collector.AddStep(row, default, problem => new LogFormatException(path, "log_history: " + problem, byteOffset: offset));
        }

        private EpochRecord Evaluation(double? epoch, int? step)
        {
            string? lossKey = _entry.ContainsKey("eval_loss") ? "eval_loss" : _entry.Keys.FirstOrDefault(k => k.StartsWith("eval_", StringComparison.Ordinal) && k.EndsWith("_loss", StringComparison.Ordinal));
            string? accuracyKey = new[] { "eval_accuracy", "eval_acc" }.FirstOrDefault(_entry.ContainsKey);
            var metrics = _entry
                .Where(e => e.Key.StartsWith("eval_", StringComparison.Ordinal) && e.Value is not null && !IsBookkeeping(e.Key))
                .ToDictionary(e => e.Key, e => e.Value!.Value);
            return new EpochRecord(epoch ?? 0, step, null, lossKey is null ? null : _entry[lossKey], accuracyKey is null ? null : _entry[accuracyKey]) { Metrics = metrics };
        }

        private int Count(ref Utf8JsonReader reader, string key, int start) =>
            JsonNumbers.Read(ref reader, literals, path, key, start) is { } v && double.IsFinite(v) && v >= 0 && v <= int.MaxValue
                ? (int)v
                : throw new LogFormatException(path, $"\"{key}\" should be a whole number of steps.", column: key, byteOffset: start + reader.TokenStartIndex);

        /// <summary>Whether <paramref name="key"/> must hold a number; other keys holding text (a run name) are passed over.</summary>
        private static bool IsFigure(string key) => key is "loss" or "grad_norm" or "learning_rate" or "epoch" or "step";

        private static bool IsBookkeeping(string key) =>
            key.EndsWith("_runtime", StringComparison.Ordinal) || key.EndsWith("_per_second", StringComparison.Ordinal) || key.EndsWith("num_tokens", StringComparison.Ordinal);
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
