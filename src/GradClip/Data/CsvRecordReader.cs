using System.Globalization;
using nietras.SeparatedValues;

namespace GradClip.Data;

/// <summary>
/// Splits delimited text into records of fields with Sep (SIMD-accelerated), then checks and unquotes each field as RFC
/// 4180 says: a field in double quotes may hold the delimiter, line breaks and <c>""</c> for a quote; a quote anywhere
/// else is an error naming the line.
/// </summary>
/// <remarks>
/// Lines end with LF, CRLF or CR. Spaces (and tabs, unless tab is the delimiter) around a field are dropped unless quoted.
/// Blank lines are skipped. Fields longer than <see cref="MaxFieldLength"/> are refused; fields past
/// <see cref="MaxStoredFields"/> are counted but not kept, so that a ragged row can be reported with its true width.
/// </remarks>
internal sealed class CsvRecordReader : IDisposable
{
    private readonly SepReader _reader;
    private readonly string _file;
    private (int Start, int Length, bool Unquoted)[] _fields = new (int, int, bool)[64];
    private char[] _unquoted = new char[256];
    private int _unquotedLength;
    private int _nextLine = 1;

    /// <summary>Reads records separated by <paramref name="delimiter"/> from <paramref name="text"/>; errors name <paramref name="file"/>.</summary>
    public CsvRecordReader(TextReader text, string file, char delimiter, int maxFieldLength, int maxStoredFields)
    {
        _file = file;
        Delimiter = delimiter;
        MaxFieldLength = maxFieldLength;
        MaxStoredFields = maxStoredFields;
        _reader = Sep.New(delimiter).Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).From(text);
    }

    /// <summary>The character between fields.</summary>
    public char Delimiter { get; }

    /// <summary>The longest field accepted, in characters.</summary>
    public int MaxFieldLength { get; }

    /// <summary>How many fields of a record are kept; later ones are only counted.</summary>
    public int MaxStoredFields { get; set; }

    /// <summary>The column names used in error messages about a field, once the header is known.</summary>
    public IReadOnlyList<string> ColumnNames { get; set; } = [];

    /// <summary>The 1-based line on which the current record starts.</summary>
    public int RecordLine { get; private set; }

    /// <summary>How many fields the current record has (kept or not).</summary>
    public int FieldCount { get; private set; }

    /// <summary>The text of a kept field of the current record, trimmed and unquoted.</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Math.Min(FieldCount, MaxStoredFields), nameof(index));
        (int start, int length, bool unquoted) = _fields[index];
        return unquoted ? _unquoted.AsSpan(start, length) : _reader.Current[index].Span.Slice(start, length);
    }

    /// <summary>Moves to the next non-blank record; false at the end of the text.</summary>
    public bool ReadRecord()
    {
        while (_reader.MoveNext())
        {
            var row = _reader.Current;
            RecordLine = _nextLine;
            // Sep numbers lines too, but counts the first row from 2; the line after the previous row is always right.
            _nextLine = row.LineNumberToExcl;
            if (row.ColCount == 1 && Trim(row[0].Span).IsEmpty)
            {
                continue;
            }
            ReadFields(row);
            return true;
        }
        return false;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private void ReadFields(SepReader.Row row)
    {
        _unquotedLength = 0;
        FieldCount = row.ColCount;
        int kept = Math.Min(FieldCount, MaxStoredFields);
        if (_fields.Length < kept)
        {
            Array.Resize(ref _fields, Math.Max(kept, 2 * _fields.Length));
        }
        for (int i = 0; i < kept; i++)
        {
            ReadOnlySpan<char> raw = row[i].Span;
            (int start, int length) = TrimmedRange(raw);
            ReadOnlySpan<char> field = raw.Slice(start, length);
            if (field.Length > MaxFieldLength)
            {
                throw Error(i, $"a field is longer than {MaxFieldLength.ToString(CultureInfo.InvariantCulture)} characters");
            }
            if (field.Length > 0 && field[0] == '"')
            {
                _fields[i] = Unquote(field, i);
                continue;
            }
            if (field.Contains('"'))
            {
                throw Error(i, "a \" inside an unquoted field; quote the whole field and write a quote inside it as \"\"");
            }
            _fields[i] = (start, length, false);
        }
        for (int i = kept; i < FieldCount; i++)
        {
            if (row[i].Span.Length > MaxFieldLength)
            {
                throw Error(i, $"a field is longer than {MaxFieldLength.ToString(CultureInfo.InvariantCulture)} characters");
            }
        }
    }

    /// <summary>Where <paramref name="raw"/> is once the spaces (and tabs, unless tab is the delimiter) around it are dropped.</summary>
    private (int Start, int Length) TrimmedRange(ReadOnlySpan<char> raw)
    {
        int start = 0, end = raw.Length;
        while (start < end && IsTrimmed(raw[start]))
        {
            start++;
        }
        while (end > start && IsTrimmed(raw[end - 1]))
        {
            end--;
        }
        return (start, end - start);
    }

    private bool IsTrimmed(char c) => c == ' ' || (c == '\t' && Delimiter != '\t');

    /// <summary>Copies the text inside the quotes of <paramref name="field"/>, with each <c>""</c> made one quote.</summary>
    private (int Start, int Length, bool Unquoted) Unquote(ReadOnlySpan<char> field, int index)
    {
        int start = _unquotedLength;
        if (_unquoted.Length - start < field.Length)
        {
            Array.Resize(ref _unquoted, Math.Max(_unquoted.Length * 2, start + field.Length));
        }
        for (int i = 1; i < field.Length; i++)
        {
            char c = field[i];
            if (c == '"')
            {
                if (i == field.Length - 1)
                {
                    int length = _unquotedLength - start;
                    return (start, length, true);
                }
                if (field[i + 1] != '"')
                {
                    char after = Trim(field[(i + 1)..])[0];
                    string shown = char.IsControl(after) ? "U+" + ((int)after).ToString("X4", CultureInfo.InvariantCulture) : after.ToString();
                    throw Error(index, $"'{shown}' after a closing quote; a quoted field must end at a '{Shown(Delimiter)}' or the end of the line");
                }
                i++;
            }
            _unquoted[_unquotedLength++] = c;
        }
        throw Error(index, "a quoted field is never closed (a \" is missing)");
    }

    private ReadOnlySpan<char> Trim(ReadOnlySpan<char> field) => field.Trim(TrimmedCharacters);

    private ReadOnlySpan<char> TrimmedCharacters => Delimiter == '\t' ? " " : " \t";

    private static string Shown(char delimiter) => delimiter == '\t' ? "tab" : delimiter.ToString();

    private DataFormatException Error(int field, string problem)
    {
        string? column = field < ColumnNames.Count ? ColumnNames[field] : null;
        return new DataFormatException(_file, RecordLine, column, problem);
    }
}
