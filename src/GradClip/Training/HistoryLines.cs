namespace GradClip.Training;

/// <summary>The lines of the first <c>limit</c> bytes of a stream, each at most <c>maxLineBytes</c> long and ended by a line feed.</summary>
internal sealed class HistoryLines(Stream stream, long limit, int maxLineBytes)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly MemoryStream _line = new();
    private long _consumed;
    private int _start;
    private int _end;

    /// <summary>The 1-based number of the line <see cref="Next"/> returned last.</summary>
    public int Number { get; private set; }

    /// <summary>The next line without its line feed, or null at the limit.</summary>
    /// <exception cref="IOException">The stream ends early, a line is too long, or the limit falls inside a line.</exception>
    public ReadOnlyMemory<byte>? Next()
    {
        _line.SetLength(0);
        while (true)
        {
            if (_start == _end && !Fill())
            {
                return _line.Length == 0 ? null
                    : throw new IOException($"its {limit} bytes end inside line {Number + 1}: the history was cut off.");
            }
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            if (_line.Length + (stop - _start) > maxLineBytes)
            {
                throw new IOException($"line {Number + 1} is longer than {maxLineBytes} bytes.");
            }
            _line.Write(_buffer, _start, stop - _start);
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                Number++;
                return _line.GetBuffer().AsMemory(0, (int)_line.Length);
            }
        }
    }

    private bool Fill()
    {
        int want = (int)Math.Min(_buffer.Length, limit - _consumed);
        if (want == 0)
        {
            return false;
        }
        int read = stream.Read(_buffer, 0, want);
        if (read == 0)
        {
            throw new IOException($"ends after {_consumed} bytes, before the {limit} it should hold.");
        }
        _consumed += read;
        _start = 0;
        _end = read;
        return true;
    }
}
