using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace GradClip.Data;

/// <summary>Loads a CSV file with a header row into a <see cref="TabularData"/>: numeric feature columns and one target column.</summary>
/// <remarks>
/// Format: comma-separated, fields optionally in double quotes (a quote inside quotes written <c>""</c>), LF or CRLF line
/// ends, UTF-8 (a byte-order mark is honoured), blank lines ignored, numbers in the invariant culture (<c>1.5</c>, <c>-2e-3</c>).
/// Every problem with the data is a <see cref="DataFormatException"/> naming the file, line and column; no other
/// exception escapes for any content, and sizes are bounded (<see cref="MaxCells"/>) before memory is spent on them.
/// </remarks>
public static class CsvDataLoader
{
    /// <summary>The most cells (rows × columns, header excluded) a file may hold: 10 million.</summary>
    public const int MaxCells = 10_000_000;

    /// <summary>The most columns a file may have.</summary>
    public const int MaxColumns = 10_000;

    /// <summary>The longest cell or column name accepted, in characters.</summary>
    public const int MaxFieldLength = 1_000;

    /// <summary>The most distinct labels a classification target may have.</summary>
    public const int MaxClasses = 1_000;

    /// <summary>A whole-number target with at most this many distinct values is detected as classification.</summary>
    public const int MaxAutoClasses = 20;

    /// <summary>Loads the file at <paramref name="path"/>; the target is the column named <paramref name="target"/> (default: the last), the task is detected unless given.</summary>
    public static TabularData Load(string path, string? target = null, TaskKind? task = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, null, null, "this is a folder, not a file");
        }
        if (!File.Exists(path))
        {
            string where = Path.IsPathRooted(path) ? "" : $" (relative to {Directory.GetCurrentDirectory()})";
            throw new DataFormatException(path, null, null, "no such file" + where);
        }
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return Read(stream, path, target, task);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "the file cannot be read: " + e.Message, e);
        }
    }

    /// <summary>Reads CSV text from <paramref name="stream"/> as <see cref="Load"/> does; <paramref name="source"/> names it in errors and in <see cref="TabularData.Source"/>.</summary>
    public static TabularData Read(Stream stream, string source, string? target = null, TaskKind? task = null) =>
        Read(stream, source, target, task, MaxCells);

    /// <summary>Reads as <see cref="Read(Stream, string, string?, TaskKind?)"/> with another cell limit, so that tests can reach it with small files.</summary>
    internal static TabularData Read(Stream stream, string source, string? target, TaskKind? task, int maxCells)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var reader = new CsvRecordReader(text, source, MaxFieldLength, MaxColumns);
        string[] columns = ReadHeader(reader, source, minColumns: 2);
        int targetIndex = FindTarget(columns, target, source);
        reader.ColumnNames = columns;
        reader.MaxStoredFields = columns.Length;
        ImmutableArray<string> featureNames = [.. columns.Where((_, i) => i != targetIndex)];
        var targetColumn = new TargetColumn(source, columns[targetIndex]);
        var lines = new List<int>();
        float[] features = ReadRows(reader, source, columns, targetIndex, targetColumn, maxCells, lines);
        return targetColumn.Build(ImmutableCollectionsMarshal.AsImmutableArray(features), featureNames, task).WithSourceLines([.. lines]);
    }

    /// <summary>Reads and checks the header row: at least <paramref name="minColumns"/> named, distinct columns.</summary>
    internal static string[] ReadHeader(CsvRecordReader reader, string source, int minColumns)
    {
        if (!reader.ReadRecord())
        {
            throw new DataFormatException(source, null, null, "the file is empty; it needs a header row and data rows");
        }
        int line = reader.RecordLine;
        if (reader.FieldCount > MaxColumns)
        {
            throw new DataFormatException(source, line, null,
                $"the header has {Number(reader.FieldCount)} columns; at most {Number(MaxColumns)} are supported");
        }
        if (reader.FieldCount < minColumns)
        {
            throw new DataFormatException(source, line, null,
                "the header has one column; a dataset needs at least one feature column and a target column");
        }
        var columns = new string[reader.FieldCount];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Length; i++)
        {
            string name = reader.Field(i).ToString();
            if (name.Length == 0)
            {
                throw new DataFormatException(source, line, null, $"column {Number(i + 1)} of the header has no name");
            }
            if (!seen.TryAdd(name, i))
            {
                throw new DataFormatException(source, line, name,
                    $"the name is used twice in the header (columns {Number(seen[name] + 1)} and {Number(i + 1)})");
            }
            columns[i] = name;
        }
        return columns;
    }

    private static int FindTarget(string[] columns, string? target, string source)
    {
        if (target is null)
        {
            return columns.Length - 1;
        }
        int index = Array.IndexOf(columns, target);
        if (index < 0)
        {
            string available = string.Join(", ", columns.Select(c => $"'{c}'"));
            throw new DataFormatException(source, null, target, $"there is no such target column; the columns are {available}");
        }
        return index;
    }

    /// <summary>
    /// Reads the data rows: features into a row-major array, target cells into <paramref name="targetColumn"/>, each row's
    /// line into <paramref name="lines"/>.
    /// </summary>
    private static float[] ReadRows(
        CsvRecordReader reader, string source, string[] columns, int targetIndex, TargetColumn targetColumn, int maxCells, List<int> lines)
    {
        var features = new List<float>();
        ReadRecords(reader, source, columns.Length, maxCells, line =>
        {
            lines.Add(line);
            for (int column = 0; column < columns.Length; column++)
            {
                if (column == targetIndex)
                {
                    targetColumn.Add(reader.Field(column), line);
                    continue;
                }
                features.Add(ReadNumber(reader, source, columns, column, line));
            }
        });
        return features.ToArray();
    }

    /// <summary>
    /// Reads every data record, checking that each has <paramref name="columnCount"/> fields and that the cells stay within
    /// <paramref name="maxCells"/>, and hands each record's line to <paramref name="onRecord"/>; returns the row count.
    /// </summary>
    internal static int ReadRecords(CsvRecordReader reader, string source, int columnCount, int maxCells, Action<int> onRecord)
    {
        int maxRows = maxCells / columnCount;
        int rows = 0;
        while (reader.ReadRecord())
        {
            int line = reader.RecordLine;
            if (reader.FieldCount != columnCount)
            {
                throw new DataFormatException(source, line, null,
                    $"expected {Number(columnCount)} fields, as in the header, but found {Number(reader.FieldCount)}");
            }
            if (rows == maxRows)
            {
                throw new DataFormatException(source, line, null,
                    $"more than {Number(maxRows)} data rows of {Number(columnCount)} columns; at most {Number(maxCells)} cells are supported");
            }
            onRecord(line);
            rows++;
        }
        if (rows == 0)
        {
            throw new DataFormatException(source, null, null, "the file has a header but no data rows");
        }
        return rows;
    }

    /// <summary>The number in field <paramref name="column"/> of the current record, or the error naming line and column.</summary>
    internal static float ReadNumber(CsvRecordReader reader, string source, string[] columns, int column, int line)
    {
        CellText.Kind kind = CellText.Read(reader.Field(column), out double value);
        return kind == CellText.Kind.Number
            ? (float)value
            : throw new DataFormatException(source, line, columns[column], CellText.Explain(kind, reader.Field(column)));
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
