using GradClip.Data;

namespace GradClip.Logs;

/// <summary>
/// Python's <c>json</c> module writes NaN and infinities bare (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>; other tools
/// <c>nan</c>, <c>inf</c>, <c>-inf</c>), which JSON does not allow and System.Text.Json refuses. This pre-pass rewrites
/// each such bare word, in place, into a quoted string of the same length — so that every byte offset stays the file's
/// own, for error messages — and remembers the value it stood for by its offset.
/// </summary>
internal sealed class NonFiniteLiterals
{
    private readonly Dictionary<long, double> _values = [];
    private bool _inString;
    private bool _escaped;

    /// <summary>How many bare literals the latest <see cref="Quote"/> rewrote.</summary>
    public int Count => _values.Count;

    /// <summary>
    /// Rewrites the bare non-finite literals of <paramref name="json"/> outside strings; <paramref name="baseOffset"/> is
    /// added to their offsets, for a slice of a larger file. Forgets the literals of an earlier call.
    /// </summary>
    public void Quote(Span<byte> json, long baseOffset = 0)
    {
        _values.Clear();
        _inString = false;
        _escaped = false;
        QuoteChunk(json, baseOffset, final: true);
    }

    /// <summary>
    /// Rewrites the literals of the next chunk of a document read piece by piece, going on from where the previous chunk
    /// ended (inside a string or not); returns how many bytes it has scanned: all of them, except a word cut off at the
    /// end of a chunk that is not <paramref name="final"/>, which is left for the next call (starting with it).
    /// </summary>
    public int QuoteChunk(Span<byte> json, long baseOffset, bool final)
    {
        int i = 0;
        while (i < json.Length)
        {
            byte b = json[i];
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                }
                else if (b == '\\')
                {
                    _escaped = true;
                }
                else if (b == '"')
                {
                    _inString = false;
                }
                i++;
            }
            else if (b == '"')
            {
                _inString = true;
                i++;
            }
            else if (IsWordByte(b))
            {
                int end = i;
                while (end < json.Length && IsWordByte(json[end]))
                {
                    end++;
                }
                if (end == json.Length && !final)
                {
                    return i;
                }
                TryQuote(json, i, end, baseOffset);
                i = end;
            }
            else
            {
                i++;
            }
        }
        return json.Length;
    }

    /// <summary>The value of the literal whose quoted replacement starts at <paramref name="offset"/>, if there is one.</summary>
    public bool TryGet(long offset, out double value) => _values.TryGetValue(offset, out value);

    private void TryQuote(Span<byte> json, int start, int end, long baseOffset)
    {
        Span<char> word = stackalloc char[16];
        int length = end - start;
        if (length < 3 || length > word.Length)
        {
            return;
        }
        for (int i = 0; i < length; i++)
        {
            word[i] = (char)json[start + i];
        }
        if (CellText.TryNonFinite(word[..length], out double value))
        {
            json[start] = (byte)'"';
            json[end - 1] = (byte)'"';
            _values[baseOffset + start] = value;
        }
    }

    /// <summary>Bytes a bare word or number is made of (numbers pass through: they never name a non-finite value).</summary>
    private static bool IsWordByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z')
        or (>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'-' or (byte)'.';
}
