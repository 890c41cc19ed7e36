using System.Runtime.InteropServices;
using System.Text;

namespace GradClip.Serialization;

/// <summary>
/// The few C library calls .NET does not offer: <c>stat</c> (.NET reports FIFOs, devices and sockets as ordinary files of
/// length 0), <c>fsync</c> on a folder (so that a rename inside it survives a power cut), and a plain <c>read</c> of a file
/// another process holds locked (.NET's own open takes a lock, which fails there).
/// </summary>
internal static class PosixFiles
{
    /// <summary>The size of the buffer handed to <c>stat</c>: larger than <c>struct stat</c> on every 64-bit Linux.</summary>
    private const int StatBufferBytes = 256;

    private const uint TypeMask = 0xF000;

    private const int ReadOnly = 0;

    /// <summary>EINVAL: what fsync returns on a file system that cannot sync a folder (its renames are then as durable as it makes them).</summary>
    private const int InvalidArgument = 22;

    /// <summary>The file types of <c>st_mode</c>, with the words errors use for them.</summary>
    private static readonly Dictionary<uint, string> s_types = new()
    {
        [0x1000] = "a FIFO (named pipe)",
        [0x2000] = "a character device",
        [0x4000] = "a folder",
        [0x6000] = "a block device",
        [0xC000] = "a socket",
    };

    /// <summary>
    /// Null when <paramref name="path"/> is a regular file (after following links) or when this platform cannot tell;
    /// otherwise what it is instead, e.g. "a FIFO (named pipe)". A path that does not exist is left to the caller's open.
    /// </summary>
    public static string? NonRegularKind(string path)
    {
        if (ModeOffset() is not { } offset)
        {
            return null;
        }
        var buffer = new byte[StatBufferBytes];
        try
        {
            if (Stat(path, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than glibc 2.33 exports stat only as __xstat: this platform then cannot tell.
            return null;
        }
        uint type = BitConverter.ToUInt32(buffer, offset) & TypeMask;
        return type == 0x8000 ? null : s_types.GetValueOrDefault(type, "not a regular file");
    }

    /// <summary>Flushes <paramref name="folder"/>'s entries (the names created, renamed and removed in it) to disk, where the platform allows it.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        int fd = Open(folder, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open folder '{folder}' to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() != InvalidArgument)
            {
                throw new IOException($"Could not flush folder '{folder}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>The first <paramref name="maxBytes"/> bytes of <paramref name="path"/> as UTF-8, read without taking a lock, or null when it cannot be read.</summary>
    public static string? ReadUnlocked(string path, int maxBytes)
    {
        if (!OperatingSystem.IsLinux() || NonRegularKind(path) is not null)
        {
            return null;
        }
        int fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            return null;
        }
        try
        {
            var buffer = new byte[maxBytes];
            nint read = Read(fd, buffer, maxBytes);
            return read < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)read);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Where <c>st_mode</c> lies in <c>struct stat</c> on this platform, or null where it is not known.</summary>
    private static int? ModeOffset() =>
        !OperatingSystem.IsLinux() ? null
        : RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => null,
        };

    [DllImport("libc", EntryPoint = "stat", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int Stat(string path, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "open", CharSet = CharSet.Ansi, BestFitMapping = false, SetLastError = true)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, [Out] byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
