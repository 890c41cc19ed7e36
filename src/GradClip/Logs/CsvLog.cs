using System.Globalization;
using System.Text;
using GradClip.Data;

namespace GradClip.Logs;

/// <summary>
/// Reads a CSV training log: Lightning's <c>CSVLogger</c> <c>metrics.csv</c> (a <c>step</c> and an <c>epoch</c> column,
/// epochs counted from 0, step rows and epoch rows with empty cells for each other's columns), Keras's <c>CSVLogger</c>
/// (an <c>epoch</c> column, one row per epoch) or a plain CSV with a step, a loss and a gradient norm column.
/// </summary>
internal static class CsvLog
{
    private const int MaxFieldLength = 4096;
    private const int MaxColumns = 100_000;

    /// <summary>Reads <paramref name="path"/> as <paramref name="format"/>, or as the CSV flavour its header shows when null.</summary>
    public static LogReading Read(string path, LogOptions options, LogFormat? format = null)
    {
        using var stream = LogFile.Open(path);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var reader = new CsvRecordReader(text, path, ',', MaxFieldLength, MaxColumns);
        try
        {
            string[] header = Header(reader, path);
            var flavour = format ?? Flavour(header, path, options);
            return ReadRows(reader, path, header, flavour, options);
        }
        catch (DataFormatException ex)
        {
            throw new LogFormatException(path, ex.Problem, ex.Line, ex.Column);
        }
    }

    /// <summary>
    /// The flavour of CSV log that <paramref name="header"/> shows: Keras with an epoch column and no step column; Lightning
    /// with both, in a file named <c>metrics.csv</c> or with Lightning's column names; a plain step log otherwise.
    /// </summary>
    public static LogFormat Flavour(IReadOnlyList<string> header, string path, LogOptions options)
    {
        var guess = LogColumns.Choose(header, options, path);
        bool step = guess.NameOf(ColumnRole.Step) is not null;
        bool epoch = guess.NameOf(ColumnRole.Epoch) is not null;
        if (!step && epoch && options.LossColumn is null && options.NormColumn is null)
        {
            return LogFormat.KerasCsv;
        }
        bool lightningNames = header.Any(h => h.EndsWith("_step", StringComparison.Ordinal) || h.EndsWith("_epoch", StringComparison.Ordinal)
            || h.Contains('/') || h.StartsWith("grad_2.0_norm", StringComparison.Ordinal) || h.StartsWith("lr-", StringComparison.Ordinal));
        bool lightning = header.Contains("step") && header.Contains("epoch")
            && (Path.GetFileName(path) == "metrics.csv" || lightningNames);
        return lightning ? LogFormat.LightningCsv : LogFormat.Csv;
    }

    /// <summary>Reads the header row: named, distinct columns.</summary>
    public static string[] Header(CsvRecordReader reader, string path)
    {
        if (!reader.ReadRecord())
        {
            throw new LogFormatException(path, "the file is empty.");
        }
        var names = new string[reader.FieldCount];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = reader.Field(i).ToString();
            if (names[i].Length == 0)
            {
                throw new LogFormatException(path, $"column {(i + 1).ToString(CultureInfo.InvariantCulture)} of the header has no name.", reader.RecordLine);
            }
            if (Array.IndexOf(names, names[i], 0, i) >= 0)
            {
                throw new LogFormatException(path, "the name is used twice in the header.", reader.RecordLine, names[i]);
            }
        }
        return names;
    }

    private static LogReading ReadRows(CsvRecordReader reader, string path, string[] header, LogFormat format, LogOptions options)
    {
        bool epochLevel = format == LogFormat.KerasCsv;
        var columns = LogColumns.Choose(header, options, path, epochLevel);
        var notes = new List<string>();
        LogReader.RequireFigures(columns, header, path, format, notes);
        reader.ColumnNames = header;
        reader.MaxStoredFields = header.Length;
        var collector = new TraceCollector(columns.Layers);
        bool numberRows = !epochLevel && columns.NameOf(ColumnRole.Step) is null;
        // Lightning and Keras count epochs from 0; the trace counts them from 1.
        var row = new LogRow(collector, columns, format is LogFormat.LightningCsv or LogFormat.KerasCsv ? 1 : 0, numberRows, epochsAsSteps: epochLevel);
        while (reader.ReadRecord())
        {
            int line = reader.RecordLine;
            if (reader.FieldCount != header.Length)
            {
                throw new LogFormatException(path, $"expected {header.Length.ToString(CultureInfo.InvariantCulture)} fields, as in the header, but found {reader.FieldCount.ToString(CultureInfo.InvariantCulture)}.", line);
            }
            for (int i = 0; i < header.Length; i++)
            {
                var role = columns.RoleAt(i);
                if (role != ColumnRole.None)
                {
                    row.Set(header[i], role, Cell(reader.Field(i), path, line, header[i]));
                }
            }
            row.End(problem => new LogFormatException(path, problem, line));
        }
        if (numberRows)
        {
            notes.Add("The log has no step column: its rows are taken as steps 1, 2, 3, … (give --step-column to name one).");
        }
        var setup = epochLevel ? new Diagnosis.RunSetup { Source = LogReader.Describe(format) } : LogSetup.Of(options, row, LogReader.Describe(format), notes);
        return new LogReading(collector.Build(setup), format, path, LogReader.ColumnsUsed(columns), notes);
    }

    /// <summary>A cell's number: null when empty; NaN and infinities in any spelling; anything else names the place.</summary>
    private static double? Cell(ReadOnlySpan<char> cell, string path, int line, string column)
    {
        if (cell.IsEmpty)
        {
            return null;
        }
        return LogNumber.TryParse(cell, out double value)
            ? value
            : throw new LogFormatException(path, $"{CellText.Show(cell)} is not a number.", line, column);
    }
}
