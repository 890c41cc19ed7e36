using System.Buffers;
using System.Globalization;
using System.Text;

namespace GradClip.Data;

/// <summary>Opens a CSV stream as text, and turns a byte that is not valid UTF-8 into an error naming its line and offset.</summary>
internal static class CsvText
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A reader of <paramref name="stream"/> from its start, in <paramref name="encoding"/> or strict UTF-8; a byte-order mark is honoured.</summary>
    public static StreamReader Open(Stream stream, Encoding? encoding)
    {
        stream.Position = 0;
        return new StreamReader(stream, encoding ?? StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
    }

    /// <summary>Runs <paramref name="read"/>; a byte that is not valid UTF-8 becomes a <see cref="DataFormatException"/> naming its line and byte offset.</summary>
    public static T Decoding<T>(Stream stream, string source, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DecoderFallbackException)
        {
            (int line, long offset) = FirstInvalidUtf8(stream);
            throw new DataFormatException(source, line, null,
                $"byte {offset.ToString(CultureInfo.InvariantCulture)} (0x{ByteAt(stream, offset):X2}) is not valid UTF-8; "
                + "if the file is in another encoding, name it: latin1, windows-1252 or utf-16");
        }
    }

    /// <summary>The line and 0-based byte offset of the first byte of <paramref name="stream"/> that does not decode as UTF-8.</summary>
    private static (int Line, long Offset) FirstInvalidUtf8(Stream stream)
    {
        stream.Position = 0;
        var buffer = new byte[1 << 16];
        int line = 1, kept = 0;
        long consumed = 0;
        while (true)
        {
            int read = stream.Read(buffer, kept, buffer.Length - kept);
            int length = kept + read;
            var bytes = buffer.AsSpan(0, length);
            int position = 0;
            while (position < length)
            {
                var status = System.Text.Rune.DecodeFromUtf8(bytes[position..], out _, out int used);
                if (status == OperationStatus.NeedMoreData && read > 0)
                {
                    break;
                }
                if (status != OperationStatus.Done)
                {
                    return (line, consumed + position);
                }
                line += bytes[position] == '\n' ? 1 : 0;
                position += used;
            }
            if (read == 0)
            {
                return (line, consumed + position);
            }
            bytes[position..].CopyTo(buffer);
            kept = length - position;
            consumed += position;
        }
    }

    private static byte ByteAt(Stream stream, long offset)
    {
        stream.Position = offset;
        int value = stream.ReadByte();
        return (byte)Math.Max(value, 0);
    }
}
