namespace GradClip.Serialization;

/// <summary>
/// Opens and reads files only when they are regular files, and never more than a size cap: a FIFO would block forever, a
/// device such as <c>/dev/zero</c> would be read until memory runs out, and both report a length of 0.
/// </summary>
public static class RegularFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading after checking that it is a regular file (symbolic links followed).
    /// </summary>
    /// <exception cref="IOException">It is a FIFO, a device, a socket or a folder (the message says which), or cannot be opened.</exception>
    public static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (PosixFiles.NonRegularKind(path) is { } kind)
        {
            throw new IOException($"'{path}' is {kind}, not a regular file.");
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>Reads the whole of <paramref name="path"/>, a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <exception cref="IOException">It is not a regular file, is larger than the cap (however its length reads), or cannot be read.</exception>
    public static byte[] ReadAllBytes(string path, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        using var stream = OpenRead(path);
        return ReadAtMost(stream, path, maxBytes);
    }

    /// <summary>Reads the first <paramref name="count"/> bytes of <paramref name="path"/>, a regular file that holds at least that many.</summary>
    /// <exception cref="IOException">It is not a regular file, holds fewer bytes, or cannot be read.</exception>
    public static byte[] ReadFirst(string path, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var stream = OpenRead(path);
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Reads <paramref name="stream"/> to its end, refusing more than <paramref name="maxBytes"/> bytes whatever its length reports.</summary>
    /// <exception cref="IOException">More than <paramref name="maxBytes"/> bytes were there.</exception>
    public static byte[] ReadAtMost(Stream stream, string path, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long reported = stream.CanSeek ? stream.Length : 0;
        if (reported > maxBytes)
        {
            throw new IOException($"'{path}' is {reported} bytes, more than such a file can be ({maxBytes}).");
        }
        using var buffer = new MemoryStream((int)reported);
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, (long)maxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new IOException($"'{path}' holds more than {maxBytes} bytes, more than such a file can be.");
            }
        }
        return buffer.ToArray();
    }
}
