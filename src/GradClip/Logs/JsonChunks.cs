using System.Globalization;
using System.Text.Json;

namespace GradClip.Logs;

/// <summary>
/// A JSON document read a chunk at a time, so that a log of any length takes one buffer's memory: each chunk is passed
/// through <see cref="NonFiniteLiterals"/> as it arrives, and readers are made over the bytes scanned so far, carrying
/// the reader's state from one to the next. A value larger than the buffer grows it, up to <see cref="MaxValueBytes"/>.
/// </summary>
internal sealed class JsonChunks
{
    /// <summary>The bytes read from the file at a time.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>The largest single value (a log entry) a reader may need whole.</summary>
    public const int MaxValueBytes = 64 << 20;

    private static readonly JsonReaderOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private readonly Stream _stream;
    private readonly string _file;
    private byte[] _buffer;
    private int _position; // where the next reader starts
    private int _scanned;  // bytes passed through the literal pre-pass
    private int _filled;   // bytes read into the buffer
    private long _bufferStart; // the file offset of _buffer[0]
    private bool _eof;
    private JsonReaderState _state = new(Options);

    /// <summary>Reads <paramref name="stream"/>, <paramref name="chunkBytes"/> at a time; errors name <paramref name="file"/>.</summary>
    public JsonChunks(Stream stream, string file, int chunkBytes = ChunkBytes)
    {
        _stream = stream;
        _file = file;
        _buffer = new byte[chunkBytes];
        More();
        if (_buffer.AsSpan(0, _filled).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _position = 3;
        }
    }

    /// <summary>The bare NaN and infinities found so far, by file offset.</summary>
    public NonFiniteLiterals Literals { get; } = new();

    /// <summary>The file offset where the next reader starts: add a token's start index to it for the token's offset.</summary>
    public long Offset => _bufferStart + _position;

    /// <summary>A reader over the bytes not yet consumed, in the state the previous reader left.</summary>
    public Utf8JsonReader Reader() => new(_buffer.AsSpan(_position, _scanned - _position), _eof && _scanned == _filled, _state);

    /// <summary>Takes in what <paramref name="reader"/> consumed, to start the next reader after it.</summary>
    public void Advance(ref Utf8JsonReader reader)
    {
        _position += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>Reads the next chunk after the unconsumed bytes; false when the file has nothing more.</summary>
    public bool More()
    {
        if (_eof && _scanned == _filled)
        {
            return false;
        }
        int kept = _filled - _position;
        if (_position == 0 && _filled == _buffer.Length)
        {
            if (_buffer.Length >= MaxValueBytes)
            {
                throw new LogFormatException(_file, $"one value is larger than {MaxValueBytes.ToString(CultureInfo.InvariantCulture)} bytes; is this a training log?", byteOffset: _bufferStart);
            }
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        Array.Copy(_buffer, _position, _buffer, 0, kept);
        _bufferStart += _position;
        _scanned -= _position;
        _filled = kept;
        _position = 0;
        while (!_eof && _filled < _buffer.Length)
        {
            int read = _stream.Read(_buffer, _filled, _buffer.Length - _filled);
            _filled += read;
            _eof = read == 0;
        }
        _scanned += Literals.QuoteChunk(_buffer.AsSpan(_scanned, _filled - _scanned), _bufferStart + _scanned, _eof);
        return true;
    }
}
