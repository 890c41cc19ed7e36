using System.Globalization;

namespace GradClip.Logs;

/// <summary>Opens a log file after checking that it is a regular file within the size a log may have.</summary>
internal static class LogFile
{
    /// <summary>The largest log read whole into memory (a JSON document): 1 GiB.</summary>
    public const long MaxDocumentBytes = 1L << 30;

    /// <summary>Opens <paramref name="path"/> for reading, sequentially.</summary>
    public static FileStream Open(string path)
    {
        Check(path, long.MaxValue);
        return Guard(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan));
    }

    /// <summary>Reads the whole of <paramref name="path"/>, which must hold at most <see cref="MaxDocumentBytes"/>.</summary>
    public static byte[] ReadAll(string path)
    {
        Check(path, MaxDocumentBytes);
        return Guard(path, () => File.ReadAllBytes(path));
    }

    /// <summary>Up to <paramref name="count"/> bytes from the start of <paramref name="path"/>, to tell its format.</summary>
    public static byte[] Head(string path, int count)
    {
        using var stream = Open(path);
        var head = new byte[(int)Math.Min(count, stream.Length)];
        stream.ReadExactly(head);
        return head;
    }

    private static void Check(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new LogFormatException(path, Directory.Exists(path) ? "is a folder, not a log file." : "there is no such file.");
        }
        // .NET reports FIFOs, devices and sockets as files of length 0: opening a FIFO would wait forever, /dev/zero never end.
        if (GradClip.Serialization.PosixFiles.NonRegularKind(path) is { } kind)
        {
            throw new LogFormatException(path, $"is {kind}, not a regular file.");
        }
        if (info.Length > maxBytes)
        {
            throw new LogFormatException(path, $"is {info.Length.ToString(CultureInfo.InvariantCulture)} bytes, more than the {maxBytes.ToString(CultureInfo.InvariantCulture)} a log of this format may have.");
        }
    }

    private static T Guard<T>(string path, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LogFormatException(path, $"cannot be read: {ex.Message}");
        }
    }
}
