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

    /// <summary>Reads <paramref name="path"/>, a chunk at a time: a million logged steps take no more memory than their trace.</summary>
    public static LogReading Read(string path, LogOptions options) => Read(path, options, JsonChunks.ChunkBytes);

    /// <summary>Reads <paramref name="path"/> <paramref name="chunkBytes"/> at a time (tests try chunks that cut every value).</summary>
    internal static LogReading Read(string path, LogOptions options, int chunkBytes)
    {
        using var stream = LogFile.Open(path);
        var chunks = new JsonChunks(stream, path, chunkBytes);
        var state = new State(path, chunks.Literals);
        try
        {
            var phase = Phase.Start;
            while (true)
            {
                var reader = chunks.Reader();
                phase = state.Parse(ref reader, phase, chunks.Offset);
                chunks.Advance(ref reader);
                if (phase == Phase.Done)
                {
                    break;
                }
                if (!chunks.More())
                {
                    throw new LogFormatException(path, $"the JSON ends early, at byte {stream.Length.ToString(CultureInfo.InvariantCulture)}: the file is truncated (was it copied while being written?).", byteOffset: stream.Length);
                }
            }
        }
        catch (JsonException ex)
        {
            throw JsonNumbers.ErrorInFile(path, ex);
        }
        catch (InvalidOperationException)
        {
            // A key with a broken escape (a lone \ud800) or bytes that are not UTF-8, met while matching it.
            throw new LogFormatException(path, "the text here is not valid: a broken \\u escape or bytes that are not UTF-8.", byteOffset: chunks.Offset);
        }
        return state.Finish(options);
    }

    /// <summary>Where the reading of the document stands between chunks.</summary>
    private enum Phase
    {
        /// <summary>Before the opening brace.</summary>
        Start,

        /// <summary>Among the top-level properties.</summary>
        Properties,

        /// <summary>Among the entries of <c>log_history</c>.</summary>
        History,

        /// <summary>After the closing brace.</summary>
        Done,
    }

    /// <summary>What the document holds, gathered while reading it.</summary>
    private sealed class State(string path, NonFiniteLiterals literals)
    {
        private readonly TraceCollector _collector = new([]);
        private const int StepSlot = 0, EpochSlot = 1, LossSlot = 2, NormSlot = 3, RateSlot = 4;
        private static readonly string[] FigureKeys = ["step", "epoch", "loss", "grad_norm", "learning_rate"];
        private readonly double?[] _figures = new double?[FigureKeys.Length];
        private readonly Dictionary<string, double?> _entry = new(StringComparer.Ordinal);
        private bool _isSummary;
        private bool _sawLogHistory;
        private int? _globalStep;
        private int? _maxSteps;
        private int? _loggingSteps;
        private int _normsSeen;

        /// <summary>
        /// Reads every whole unit (a top-level property, a log entry) the reader holds, from <paramref name="phase"/> on; stops
        /// before a unit the chunk holds only part of, and returns the phase to go on from.
        /// </summary>
        public Phase Parse(ref Utf8JsonReader reader, Phase phase, long start)
        {
            while (phase != Phase.Done)
            {
                var unitStart = reader;
                var next = phase switch
                {
                    Phase.Start => Begin(ref reader, start),
                    Phase.Properties => Property(ref reader, start),
                    _ => Entry(ref reader, start),
                };
                if (next is not { } moved)
                {
                    reader = unitStart;
                    return phase;
                }
                phase = moved;
            }
            return phase;
        }

        private Phase? Begin(ref Utf8JsonReader reader, long start)
        {
            if (!reader.Read())
            {
                return null;
            }
            return reader.TokenType == JsonTokenType.StartObject
                ? Phase.Properties
                : throw new LogFormatException(path, "a trainer_state.json is a JSON object, but this file does not start with '{'.", byteOffset: start + reader.TokenStartIndex);
        }

        private Phase? Property(ref Utf8JsonReader reader, long start)
        {
            if (!reader.Read())
            {
                return null;
            }
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return Phase.Done;
            }
            bool history = reader.ValueTextEquals("log_history"u8);
            string? count = reader.ValueTextEquals("global_step"u8) ? "global_step" : reader.ValueTextEquals("max_steps"u8) ? "max_steps"
                : reader.ValueTextEquals("logging_steps"u8) ? "logging_steps" : null;
            if (!reader.Read() || reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !history && !reader.TrySkip())
            {
                return null;
            }
            if (history)
            {
                _sawLogHistory = true;
                return reader.TokenType == JsonTokenType.StartArray
                    ? Phase.History
                    : throw new LogFormatException(path, "\"log_history\" should be an array of entries.", byteOffset: start + reader.TokenStartIndex);
            }
            switch (count)
            {
                case "global_step":
                    _globalStep = Count(ref reader, count, start);
                    break;
                case "max_steps":
                    _maxSteps = Count(ref reader, count, start);
                    break;
                case "logging_steps":
                    _loggingSteps = Count(ref reader, count, start);
                    break;
            }
            return Phase.Properties;
        }

        private Phase? Entry(ref Utf8JsonReader reader, long start)
        {
            if (!reader.Read())
            {
                return null;
            }
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return Phase.Properties;
            }
            long entryOffset = start + reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new LogFormatException(path, "each entry of \"log_history\" should be an object.", byteOffset: entryOffset);
            }
            var whole = reader;
            if (!whole.TrySkip())
            {
                return null;
            }
            ReadEntry(ref reader, start);
            AddEntry(entryOffset);
            return Phase.History;
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
            var setup = new RunSetup { Source = "Hugging Face Trainer trainer_state.json", TotalSteps = _globalStep ?? _maxSteps, LossIsIntervalMean = true };
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

        /// <summary>
        /// Reads one entry: the training figures into their slots (matched on the bytes, so that a million entries allocate
        /// no key strings), evaluation figures by name; other keys (token counts, run names) are passed over.
        /// </summary>
        private void ReadEntry(ref Utf8JsonReader reader, long start)
        {
            _entry.Clear();
            _figures.AsSpan().Clear();
            _isSummary = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int slot = Slot(ref reader);
                bool evaluation = slot < 0 && reader.ValueSpan.StartsWith("eval_"u8);
                string? key = evaluation ? JsonNumbers.Text(ref reader, path, start) : null;
                _isSummary |= reader.ValueTextEquals("train_runtime"u8);
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
                else if (slot >= 0)
                {
                    _figures[slot] = JsonNumbers.Read(ref reader, literals, path, FigureKeys[slot], start);
                }
                else if (key is not null && (reader.TokenType is JsonTokenType.Number or JsonTokenType.Null || literals.TryGet(start + reader.TokenStartIndex, out _)))
                {
                    _entry[key] = JsonNumbers.Read(ref reader, literals, path, key, start);
                }
            }
        }

        /// <summary>The slot of a training figure's key, or -1.</summary>
        private static int Slot(ref Utf8JsonReader reader) =>
            reader.ValueTextEquals("step"u8) ? StepSlot
            : reader.ValueTextEquals("epoch"u8) ? EpochSlot
            : reader.ValueTextEquals("loss"u8) ? LossSlot
            : reader.ValueTextEquals("grad_norm"u8) ? NormSlot
            : reader.ValueTextEquals("learning_rate"u8) ? RateSlot
            : -1;

        private void AddEntry(long offset)
        {
            if (_isSummary)
            {
                return;
            }
            int? step = _figures[StepSlot] is { } v && double.IsFinite(v) ? (int)v : null;
            double? epoch = _figures[EpochSlot];
            if (_entry.Count > 0)
            {
                _collector.AddEpoch(Evaluation(epoch, step));
                return;
            }
            double? loss = _figures[LossSlot];
            double? norm = _figures[NormSlot];
            if (step is null || loss is null && norm is null)
            {
                return;
            }
            _normsSeen += norm is null ? 0 : 1;
            var row = new TraceStep(step.Value, epoch, loss, norm, LearningRate: _figures[RateSlot]);
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

        private int Count(ref Utf8JsonReader reader, string key, long start) =>
            JsonNumbers.Read(ref reader, literals, path, key, start) is { } v && double.IsFinite(v) && v >= 0 && v <= int.MaxValue
                ? (int)v
                : throw new LogFormatException(path, $"\"{key}\" should be a whole number of steps.", column: key, byteOffset: start + reader.TokenStartIndex);

        private static bool IsBookkeeping(string key) =>
            key.EndsWith("_runtime", StringComparison.Ordinal) || key.EndsWith("_per_second", StringComparison.Ordinal) || key.EndsWith("num_tokens", StringComparison.Ordinal);
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
