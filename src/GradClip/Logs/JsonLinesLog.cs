using System.Text.Json;

namespace GradClip.Logs;

/// <summary>
/// Reads a JSON-lines training log, one object per line: figures under the names <see cref="LogColumns"/> knows or the
/// user gives, per-layer norms in a nested <c>param_norms</c> object (GradClip's <c>steps.jsonl</c>), a <c>clipped</c>
/// flag. Lines of evaluations (a <c>val_loss</c> without a step loss) become epoch records. Blank lines are skipped.
/// </summary>
internal static class JsonLinesLog
{
    /// <summary>How many lines are looked at to learn the log's keys.</summary>
    private const int SampleLines = 50;

    /// <summary>
    /// Reads <paramref name="path"/>. With <paramref name="nullIsNonFinite"/> (GradClip's own files, which write NaN and ∞
    /// as null) a null figure is NaN; otherwise it is a figure the line does not hold.
    /// </summary>
    public static LogReading Read(string path, LogOptions options, LogFormat format, bool nullIsNonFinite, bool epochLevel = false)
    {
        var log = Collect(path, options, format, nullIsNonFinite, epochLevel);
        var setup = epochLevel ? new Diagnosis.RunSetup { Source = LogReader.Describe(format) } : LogSetup.Of(options, log.Row, LogReader.Describe(format), log.Notes);
        return new LogReading(log.Collector.Build(setup), format, path, LogReader.ColumnsUsed(log.Columns), log.Notes);
    }

    /// <summary>Reads the lines of <paramref name="path"/> into a collector, not yet built into a trace, as <see cref="Read"/> does.</summary>
    public static (TraceCollector Collector, LogColumns Columns, LogRow Row, List<string> Notes) Collect(
        string path, LogOptions options, LogFormat format, bool nullIsNonFinite, bool epochLevel = false)
    {
        var (keys, layers) = SampleKeys(path);
        var columns = LogColumns.Choose(keys, options, path, epochLevel, layers);
        var notes = new List<string>();
        LogReader.RequireFigures(columns, keys, path, format, notes);
        var collector = new TraceCollector(columns.Layers);
        bool numberRows = !epochLevel && columns.NameOf(ColumnRole.Step) is null;
        var row = new LogRow(collector, columns, 0, numberRows);
        var parser = new LineParser(path, columns, row, nullIsNonFinite);
        using (var lines = new ByteLines(LogFile.Open(path), path))
        {
            while (lines.Next(out var line))
            {
                if (!line.AsSpan().Trim(" \t"u8).IsEmpty)
                {
                    parser.Parse(line, lines.Offset, lines.LineNumber);
                }
            }
        }
        if (numberRows)
        {
            notes.Add("The log has no step key: its lines are taken as steps 1, 2, 3, … (give --step-column to name one).");
        }
        return (collector, columns, row, notes);
    }

    /// <summary>The keys of the first lines, in order of appearance, and the names inside their <c>param_norms</c> objects.</summary>
    private static (List<string> Keys, List<string> Layers) SampleKeys(string path)
    {
        var keys = new List<string>();
        var layers = new List<string>();
        var literals = new NonFiniteLiterals();
        using var lines = new ByteLines(LogFile.Open(path), path);
        for (int n = 0; n < SampleLines && lines.Next(out var line);)
        {
            if (line.AsSpan().Trim(" \t"u8).IsEmpty)
            {
                continue;
            }
            n++;
            literals.Quote(line, lines.Offset);
            try
            {
                var reader = new Utf8JsonReader(line);
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var into = reader.CurrentDepth == 1 ? keys : reader.CurrentDepth == 2 && IsParamNorms(ref reader, line) ? layers : null;
                        string name = JsonNumbers.Text(ref reader, path, lines.Offset, lines.LineNumber);
                        if (into is not null && !into.Contains(name))
                        {
                            into.Add(name);
                        }
                    }
                }
            }
            catch (JsonException ex)
            {
                throw JsonNumbers.Error(path, ex, line, lines.Offset, lines.LineNumber);
            }
            catch (InvalidOperationException)
            {
                throw new LogFormatException(path, "the line holds text that is not valid: a broken \\u escape or bytes that are not UTF-8.", lines.LineNumber, byteOffset: lines.Offset);
            }
        }
        return (keys, layers);
    }

    /// <summary>Whether the reader is inside the top-level <c>param_norms</c> object (told by the key before its opening brace).</summary>
    private static bool IsParamNorms(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        int brace = line[..(int)reader.TokenStartIndex].LastIndexOf((byte)'{');
        return brace > 0 && line[..brace].TrimEnd(" \t:"u8).EndsWith("\"param_norms\""u8);
    }

    /// <summary>Parses one line into the row, and ends the row.</summary>
    private sealed class LineParser(string path, LogColumns columns, LogRow row, bool nullIsNonFinite)
    {
        private readonly NonFiniteLiterals _literals = new();

        public void Parse(ArraySegment<byte> line, long offset, int number)
        {
            _literals.Quote(line, offset);
            try
            {
                var reader = new Utf8JsonReader(line);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new LogFormatException(path, "each line of a JSON-lines log should be one object ({…}).", number, byteOffset: offset);
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string key = JsonNumbers.Text(ref reader, path, offset, number);
                    reader.Read();
                    Value(ref reader, key, offset, number);
                }
            }
            catch (JsonException ex)
            {
                throw JsonNumbers.Error(path, ex, line, offset, number);
            }
            catch (InvalidOperationException)
            {
                throw new LogFormatException(path, "the line holds text that is not valid: a broken \\u escape or bytes that are not UTF-8.", number, byteOffset: offset);
            }
            row.End(problem => new LogFormatException(path, problem, number, byteOffset: offset));
        }

        private void Value(ref Utf8JsonReader reader, string key, long offset, int number)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when key == "param_norms":
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string layer = JsonNumbers.Text(ref reader, path, offset, number);
                        reader.Read();
                        row.SetLayer(layer, Number(ref reader, layer, offset, number));
                    }
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    reader.Skip();
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    if (key == "clipped")
                    {
                        row.SetClipped(reader.TokenType == JsonTokenType.True);
                    }
                    break;
                case JsonTokenType.String when !_literals.TryGet(offset + reader.TokenStartIndex, out _) && !LogNumber.TryParse(JsonNumbers.Text(ref reader, path, offset, number), out _):
                    if (columns.RoleOf(key) is not (ColumnRole.None or ColumnRole.Metric))
                    {
                        Number(ref reader, key, offset, number);
                    }
                    break;
                default:
                    row.Set(key, columns.RoleOf(key), Number(ref reader, key, offset, number));
                    break;
            }
        }

        private double? Number(ref Utf8JsonReader reader, string key, long offset, int number) =>
            JsonNumbers.Read(ref reader, _literals, path, key, offset, number) ?? (nullIsNonFinite ? double.NaN : null);
    }
}
