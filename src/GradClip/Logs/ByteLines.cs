using System.Globalization;

namespace GradClip.Logs;

/// <summary>
/// Splits a file into lines of bytes without decoding them, for JSON-lines logs of any length: one buffer, reused, grown
/// only for a line longer than it. A UTF-8 byte-order mark is skipped and CR before LF dropped.
/// </summary>
internal sealed class ByteLines : IDisposable
{
    /// <summary>The longest line accepted, in bytes.</summary>
    public const int MaxLineBytes = 64 << 20;

    private readonly Stream _stream;
    private readonly string _file;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private long _position; // the file offset of _buffer[_start]

    /// <summary>Reads the lines of <paramref name="stream"/>; errors name <paramref name="file"/>.</summary>
    public ByteLines(Stream stream, string file)
    {
        _stream = stream;
        _file = file;
        Fill();
        if (_buffer.AsSpan(_start, _end - _start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _start += 3;
            _position = 3;
        }
    }

    /// <summary>The 1-based number of the latest line read.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The byte offset in the file where the latest line starts.</summary>
    public long Offset { get; private set; }

    /// <summary>Moves to the next line; false at the end of the file. The line is valid until the next call.</summary>
    public bool Next(out ArraySegment<byte> line)
    {
        int newline;
        while ((newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start)) < 0 && !_eof)
        {
            Fill();
        }
        if (newline < 0 && _start == _end)
        {
            line = default;
            return false;
        }
        int stop = newline < 0 ? _end : newline;
        int length = stop - _start;
        Offset = _position;
        _position += length + (newline < 0 ? 0 : 1);
        if (length > 0 && _buffer[stop - 1] == '\r')
        {
            length--;
        }
        line = new ArraySegment<byte>(_buffer, _start, length);
        _start = newline < 0 ? _end : newline + 1;
        LineNumber++;
        return true;
    }

    /// <summary>Moves the unread bytes to the front of the buffer (growing it when full) and reads more after them.</summary>
    private void Fill()
    {
        int unread = _end - _start;
        if (unread == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new LogFormatException(_file, $"a line is longer than {MaxLineBytes.ToString(CultureInfo.InvariantCulture)} bytes; is this a log with one record per line?", LineNumber + 1);
            }
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        Array.Copy(_buffer, _start, _buffer, 0, unread);
        _start = 0;
        _end = unread;
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _eof = read == 0;
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
