using System.Globalization;

namespace GradClip.Data;

/// <summary>
/// A CSV file's layout and column names, a bound on its rows from its line breaks, and one pass over its data rows that
/// checks each row's width and hands it to the caller; rows with an empty cell in a used column are left out when missing
/// values are dropped.
/// </summary>
internal sealed class CsvTable
{
    private readonly Stream _stream;
    private readonly string _source;
    private readonly CsvOptions _options;
    private int[] _checked = [];

    private CsvTable(Stream stream, string source, CsvOptions options, CsvLayout layout, string[] columns)
    {
        _stream = stream;
        _source = source;
        _options = options;
        Layout = layout;
        Columns = columns;
        Used = [.. Enumerable.Range(0, columns.Length).Where(j => !options.IgnoreColumns.Contains(columns[j]))];
    }

    /// <summary>The file's layout.</summary>
    public CsvLayout Layout { get; }

    /// <summary>The column names: the header's, or c0, c1, … (and <c>target</c> for scikit-learn's layout).</summary>
    public string[] Columns { get; }

    /// <summary>The indices of the columns not ignored, in order.</summary>
    public int[] Used { get; }

    /// <summary>How missing values are handled.</summary>
    public MissingValues Missing => _options.Missing;

    /// <summary>The number format of the cells.</summary>
    public System.Globalization.NumberFormatInfo Numbers => Layout.Numbers;

    /// <summary>Detects the layout of <paramref name="stream"/> and reads its column names, at least <paramref name="minColumns"/>.</summary>
    public static CsvTable Open(Stream stream, string source, CsvOptions options, int minColumns)
    {
        var layout = CsvLayout.Detect(stream, source, options);
        using var text = CsvText.Open(stream, options.Encoding);
        using var reader = new CsvRecordReader(text, source, layout.Delimiter, CsvDataLoader.MaxFieldLength, CsvDataLoader.MaxColumns);
        string[] columns = ReadColumns(reader, source, layout, minColumns);
        foreach (string ignored in options.IgnoreColumns.Where(name => !columns.Contains(name)))
        {
            throw new DataFormatException(source, null, ignored,
                $"is to be ignored, but the file has no such column; the columns are {string.Join(", ", columns.Select(c => $"'{c}'"))}");
        }
        return new CsvTable(stream, source, options, layout, columns);
    }

    /// <summary>
    /// The most data rows the file can hold, from its line breaks counted in the raw bytes (fast: no decoding, no parsing);
    /// blank lines and line breaks inside quotes make it an overestimate, never an underestimate, in every supported encoding.
    /// </summary>
    public int MaxRows()
    {
        _stream.Position = 0;
        var buffer = new byte[1 << 20];
        long feeds = 0, returns = 0, pairs = 0;
        byte last = 0;
        int read;
        while ((read = _stream.Read(buffer)) > 0)
        {
            var bytes = buffer.AsSpan(0, read);
            feeds += bytes.Count((byte)'\n');
            returns += bytes.Count((byte)'\r');
            pairs += bytes.Count("\r\n"u8) + (last == '\r' && bytes[0] == '\n' ? 1 : 0);
            last = bytes[^1];
        }
        long records = feeds + returns - pairs + (last is (byte)'\n' or (byte)'\r' ? 0 : 1);
        long rows = records - (Layout.FirstRow == CsvLayout.FirstRowKind.Data ? 0 : 1);
        return (int)Math.Clamp(rows, 0, Array.MaxLength);
    }

    /// <summary>
    /// Hands every kept data row to <paramref name="onRow"/>, with the line it starts on, checking that each has a field per
    /// column; <paramref name="usedColumns"/> are those read. Returns how many rows were kept: at least one.
    /// </summary>
    public int ForEachRow(int[] usedColumns, Action<CsvRecordReader, int> onRow)
    {
        _checked = usedColumns;
        int rows = 0, dropped = 0;
        ForEachRecord((reader, line) =>
        {
            if (Dropped(reader))
            {
                dropped++;
                return;
            }
            onRow(reader, line);
            rows++;
        });
        if (rows + dropped == 0)
        {
            throw new DataFormatException(_source, null, null, "the file has a header but no data rows");
        }
        if (rows == 0)
        {
            throw new DataFormatException(_source, null, null,
                $"every one of the {Number(dropped)} data rows has an empty cell, so dropping them leaves no data");
        }
        return rows;
    }

    private bool Dropped(CsvRecordReader reader)
    {
        if (_options.Missing != MissingValues.Drop)
        {
            return false;
        }
        foreach (int j in _checked)
        {
            if (reader.Field(j).IsEmpty)
            {
                return true;
            }
        }
        return false;
    }

    private void ForEachRecord(Action<CsvRecordReader, int> onRecord)
    {
        using var text = CsvText.Open(_stream, _options.Encoding);
        using var reader = new CsvRecordReader(text, _source, Layout.Delimiter, CsvDataLoader.MaxFieldLength, Columns.Length);
        if (Layout.FirstRow != CsvLayout.FirstRowKind.Data)
        {
            reader.ReadRecord();
        }
        reader.ColumnNames = Columns;
        while (reader.ReadRecord())
        {
            if (reader.FieldCount != Columns.Length)
            {
                throw new DataFormatException(_source, reader.RecordLine, null,
                    $"expected {Number(Columns.Length)} fields, as in the {(Layout.FirstRow == CsvLayout.FirstRowKind.Names ? "header" : "first data row")}, but found {Number(reader.FieldCount)}");
            }
            onRecord(reader, reader.RecordLine);
        }
    }

    /// <summary>The header's names (checked: named, distinct), or generated ones for a file without a header.</summary>
    private static string[] ReadColumns(CsvRecordReader reader, string source, CsvLayout layout, int minColumns)
    {
        if (!reader.ReadRecord())
        {
            throw new DataFormatException(source, null, null, "the file is empty; it needs a header row and data rows");
        }
        if (reader.FieldCount > CsvDataLoader.MaxColumns)
        {
            throw new DataFormatException(source, reader.RecordLine, null,
                $"the header has {Number(reader.FieldCount)} columns; at most {Number(CsvDataLoader.MaxColumns)} are supported");
        }
        if (layout.FirstRow == CsvLayout.FirstRowKind.SampleCounts)
        {
            reader.ReadRecord();
            return [.. Enumerable.Range(0, reader.FieldCount - 1).Select(j => $"c{j}"), "target"];
        }
        if (reader.FieldCount < minColumns)
        {
            throw new DataFormatException(source, reader.RecordLine, null,
                $"the {(layout.FirstRow == CsvLayout.FirstRowKind.Names ? "header" : "first row")} has one column with {CsvLayout.DelimiterName(reader.Delimiter)} as the delimiter; "
                + "a dataset needs at least one feature column and a target column (is the delimiter another one?)");
        }
        return layout.FirstRow == CsvLayout.FirstRowKind.Data
            ? [.. Enumerable.Range(0, reader.FieldCount).Select(j => $"c{j}")]
            : HeaderNames(reader, source);
    }

    private static string[] HeaderNames(CsvRecordReader reader, string source)
    {
        int line = reader.RecordLine;
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

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
