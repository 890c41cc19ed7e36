using System.Globalization;
using System.Text;
using System.Text.Json;
using GradClip.Data;

namespace GradClip.Logs;

/// <summary>Reads figures from JSON tokens as training tools write them, and turns reader errors into messages with a place.</summary>
internal static class JsonNumbers
{
    /// <summary>
    /// The number at the reader's current token: a JSON number, a bare NaN/Infinity rewritten by
    /// <paramref name="literals"/>, or a string holding a number (<c>"1e-05"</c>, <c>"nan"</c>); null for a JSON null.
    /// Anything else is a <see cref="LogFormatException"/> naming <paramref name="key"/> and where it is.
    /// </summary>
    public static double? Read(ref Utf8JsonReader reader, NonFiniteLiterals literals, string file, string key, long baseOffset = 0, int? line = null)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDouble(out double number) ? number : Overflowing(reader.ValueSpan);
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                if (literals.TryGet(baseOffset + reader.TokenStartIndex, out double literal))
                {
                    return literal;
                }
                string text = Text(ref reader, file, baseOffset, line);
                if (LogNumber.TryParse(text, out double parsed))
                {
                    return parsed;
                }
                throw new LogFormatException(file, $"\"{key}\" should be a number, but is {CellText.Show(text)}.", line, byteOffset: baseOffset + reader.TokenStartIndex);
            default:
                throw new LogFormatException(file, $"\"{key}\" should be a number, but is {Describe(reader.TokenType)}.", line, byteOffset: baseOffset + reader.TokenStartIndex);
        }
    }

    /// <summary>The text of the reader's current string or property name; bytes that are not UTF-8 are an error naming where.</summary>
    public static string Text(ref Utf8JsonReader reader, string file, long baseOffset = 0, int? line = null)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new LogFormatException(file, "the text here is not valid UTF-8.", line, byteOffset: baseOffset + reader.TokenStartIndex);
        }
    }

    /// <summary>
    /// The error for a reader that failed on <paramref name="json"/>: the byte offset where it stopped, and whether the file
    /// simply ends there (truncated) or holds something that is not JSON.
    /// </summary>
    public static LogFormatException Error(string file, JsonException ex, ReadOnlySpan<byte> json, long baseOffset = 0, int? line = null)
    {
        long offset = OffsetOf(json, ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
        bool truncated = json[(int)Math.Min(offset, json.Length)..].Trim(" \t\r\n"u8).IsEmpty;
        string problem = truncated
            ? $"the JSON ends early, at byte {(baseOffset + json.Length).ToString(CultureInfo.InvariantCulture)}: the file is truncated (was it copied while being written?)."
            : $"not valid JSON here: {FirstSentence(ex.Message)}";
        return new LogFormatException(file, problem, line, byteOffset: baseOffset + offset);
    }

    /// <summary>
    /// The error for a reader that failed on the file <paramref name="path"/>, read in chunks: the exception's line and
    /// position are the file's, so the file is scanned again to turn them into a byte offset.
    /// </summary>
    public static LogFormatException ErrorInFile(string path, JsonException ex)
    {
        long line = ex.LineNumber ?? 0;
        long lineStart = line == 0 ? 0 : -1;
        long target = lineStart < 0 ? -1 : ex.BytePositionInLine ?? 0;
        long seen = 0;
        long position = 0;
        long length;
        bool onlySpaceAfter = true;
        using (var stream = LogFile.Open(path))
        {
            length = stream.Length;
            var buffer = new byte[1 << 16];
            for (int read; onlySpaceAfter && (read = stream.Read(buffer)) > 0;)
            {
                for (int i = 0; i < read && onlySpaceAfter; i++, position++)
                {
                    byte b = buffer[i];
                    if (target < 0 && b == '\n' && ++seen == line)
                    {
                        target = position + 1 + (ex.BytePositionInLine ?? 0);
                    }
                    else if (target >= 0 && position >= target && b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                    {
                        onlySpaceAfter = false;
                    }
                }
            }
        }
        long offset = Math.Min(target < 0 ? length : target, length);
        return onlySpaceAfter
            ? new LogFormatException(path, $"the JSON ends early, at byte {length.ToString(CultureInfo.InvariantCulture)}: the file is truncated (was it copied while being written?).", byteOffset: offset)
            : new LogFormatException(path, $"not valid JSON here: {FirstSentence(ex.Message)}", byteOffset: offset);
    }

    /// <summary>A number too large for a double (<c>1e400</c>) is ±∞, as Python reads it.</summary>
    private static double Overflowing(ReadOnlySpan<byte> token) =>
        double.Parse(Encoding.UTF8.GetString(token), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static long OffsetOf(ReadOnlySpan<byte> json, long line, long positionInLine)
    {
        long offset = 0;
        for (long seen = 0; seen < line && offset < json.Length; offset++)
        {
            if (json[(int)offset] == '\n')
            {
                seen++;
            }
        }
        return Math.Min(offset + positionInLine, json.Length);
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };
}
