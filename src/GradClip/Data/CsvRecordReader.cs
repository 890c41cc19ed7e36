using System.Globalization;

namespace GradClip.Data;

/// <summary>Splits CSV text into records of fields (RFC 4180: comma separator, double quotes, <c>""</c> for a quote inside quotes).</summary>
/// <remarks>
/// Lines end with LF, CRLF or CR. Spaces and tabs around a field are dropped unless quoted. Blank lines are skipped.
/// Memory stays bounded whatever the input: fields longer than <see cref="MaxFieldLength"/> are refused, and fields past
/// <see cref="MaxStoredFields"/> are counted but not kept, so that a ragged row can be reported with its true width.
/// </remarks>
internal sealed class CsvRecordReader
{
    private const int Eof = -1;

    private readonly TextReader _reader;
    private readonly string _file;
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly List<(int Start, int Length)> _fields = [];
    private char[] _record = new char[256];
    private int _recordLength;
    private int _fieldLength; // characters of the current field so far, kept or not
    private int _bufferPosition;
    private int _bufferLength;
    private int _line = 1;

    /// <summary>Reads records from <paramref name="reader"/>; errors name <paramref name="file"/>.</summary>
    public CsvRecordReader(TextReader reader, string file, int maxFieldLength, int maxStoredFields)
    {
        _reader = reader;
        _file = file;
        MaxFieldLength = maxFieldLength;
        MaxStoredFields = maxStoredFields;
    }

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

    /// <summary>The text of a kept field of the current record, unquoted.</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        (int start, int length) = _fields[index];
        return _record.AsSpan(start, length);
    }

    /// <summary>Moves to the next non-blank record; false at the end of the text.</summary>
    public bool ReadRecord()
    {
        while (Peek() != Eof)
        {
            RecordLine = _line;
            _recordLength = 0;
            _fields.Clear();
            FieldCount = 0;
            bool quoted = ReadFields();
            bool blank = FieldCount == 1 && _fields[0].Length == 0 && !quoted;
            if (!blank)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Reads the fields of one record and its line end; true when any field was quoted.</summary>
    private bool ReadFields()
    {
        bool anyQuoted = false;
        while (true)
        {
            SkipSpaces();
            bool keep = FieldCount < MaxStoredFields;
            int start = _recordLength;
            _fieldLength = 0;
            bool quoted = Peek() == '"';
            if (quoted)
            {
                ReadQuoted(keep);
            }
            else
            {
                ReadUnquoted(keep);
            }
            anyQuoted |= quoted;
            if (keep)
            {
                _fields.Add((start, _recordLength - start));
            }
            bool another = EndField();
            FieldCount++;
            if (!another)
            {
                return anyQuoted;
            }
        }
    }

    private void ReadQuoted(bool keep)
    {
        int openingLine = _line;
        Next();
        while (true)
        {
            int c = Next();
            if (c == Eof)
            {
                throw Error(openingLine, "a quoted field is never closed (a \" is missing)");
            }
            if (c == '"')
            {
                if (Peek() != '"')
                {
                    SkipSpaces();
                    return;
                }
                Next();
            }
            else if (c == '\r' || c == '\n')
            {
                CountLineBreak(c);
                c = '\n';
            }
            Append((char)c, keep);
        }
    }

    private void ReadUnquoted(bool keep)
    {
        while (true)
        {
            int c = Peek();
            if (c == Eof || c == ',' || c == '\r' || c == '\n')
            {
                break;
            }
            if (c == '"')
            {
                throw Error(RecordLine, "a \" inside an unquoted field; quote the whole field and write a quote inside it as \"\"");
            }
            Next();
            Append((char)c, keep);
        }
        while (keep && _fieldLength > 0 && IsSpace(_record[_recordLength - 1]))
        {
            _recordLength--;
            _fieldLength--;
        }
    }

    /// <summary>Consumes what follows a field: true after a comma (another field follows), false at a line end or the end of the text.</summary>
    private bool EndField()
    {
        int c = Next();
        switch (c)
        {
            case ',':
                return true;
            case Eof:
                return false;
            case '\r' or '\n':
                CountLineBreak(c);
                return false;
            default:
                string shown = char.IsControl((char)c) ? "U+" + c.ToString("X4", CultureInfo.InvariantCulture) : ((char)c).ToString();
                throw Error(RecordLine, $"'{shown}' after a closing quote; a quoted field must end at a comma or the end of the line");
        }
    }

    private void CountLineBreak(int c)
    {
        if (c == '\r' && Peek() == '\n')
        {
            Next();
        }
        _line++;
    }

    private void Append(char c, bool keep)
    {
        if (_fieldLength == MaxFieldLength)
        {
            throw Error(RecordLine, $"a field is longer than {MaxFieldLength.ToString(CultureInfo.InvariantCulture)} characters");
        }
        _fieldLength++;
        if (!keep)
        {
            return;
        }
        if (_recordLength == _record.Length)
        {
            Array.Resize(ref _record, _record.Length * 2);
        }
        _record[_recordLength++] = c;
    }

    private void SkipSpaces()
    {
        while (Peek() is ' ' or '\t')
        {
            Next();
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t';

    private int Peek()
    {
        if (_bufferPosition == _bufferLength && !Fill())
        {
            return Eof;
        }
        return _buffer[_bufferPosition];
    }

    private int Next()
    {
        int c = Peek();
        if (c != Eof)
        {
            _bufferPosition++;
        }
        return c;
    }

    private bool Fill()
    {
        _bufferLength = _reader.Read(_buffer, 0, _buffer.Length);
        _bufferPosition = 0;
        return _bufferLength > 0;
    }

    private DataFormatException Error(int line, string problem)
    {
        string? column = FieldCount < ColumnNames.Count ? ColumnNames[FieldCount] : null;
        return new DataFormatException(_file, line, column, problem);
    }
}
