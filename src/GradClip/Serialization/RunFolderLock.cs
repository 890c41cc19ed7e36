using System.Globalization;

namespace GradClip.Serialization;

/// <summary>
/// The one-writer lock of a run folder: a file in it held open with <see cref="FileShare.None"/> (an OS lock, released by
/// the kernel when the process ends, however it ends), naming the holder's process id.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the run folder.</summary>
    public const string FileName = "gradclip.lock";

    private const int MaxHolderBytes = 64;

    private const int OpenAttempts = 3;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _stream;
    private readonly string _path;

    private RunFolderLock(FileStream stream, string path, int? takenOverFrom)
    {
        _stream = stream;
        _path = path;
        TakenOverFrom = takenOverFrom;
    }

    /// <summary>The process id a killed run left in the lock file, when this lock took it over; null when the folder was free.</summary>
    public int? TakenOverFrom { get; }

    /// <summary>
    /// Takes the lock of <paramref name="folder"/> (created when missing) for this process, or throws
    /// <see cref="RunFolderLockedException"/> naming the live process that holds it.
    /// </summary>
    /// <exception cref="IOException">The lock file cannot be created, or its name holds a FIFO, a device or a folder.</exception>
    public static RunFolderLock Acquire(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        for (int attempt = 1; ; attempt++)
        {
            RefuseNonRegular(path);
            var stream = Open(folder, path);
            try
            {
                int? previous = ParseHolder(new StreamReader(stream, leaveOpen: true).ReadToEnd());
                stream.SetLength(0);
                stream.Write(System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
                stream.Flush(flushToDisk: true);
                if (StillNamedBy(path) || attempt == OpenAttempts)
                {
                    return new RunFolderLock(stream, path, previous is { } pid && pid != Environment.ProcessId ? pid : null);
                }
                // The holder before us removed the file between our open and our lock: we lock a file no name leads to any
                // more, which a third run could not see. Take the lock again through the name.
                stream.Dispose();
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Whether the name <paramref name="path"/> still leads to the file this process just locked and wrote its id into
    /// (read without a lock); true where the platform cannot read it so.
    /// </summary>
    private static bool StillNamedBy(string path) =>
        !OperatingSystem.IsLinux() || HolderOf(path) == Environment.ProcessId;

    /// <summary>Throws when the lock file's name holds something other than a regular file (a FIFO would block every open for ever).</summary>
    private static void RefuseNonRegular(string path)
    {
        if (PosixFiles.NonRegularKind(path) is { } kind)
        {
            throw new IOException($"'{path}' is {kind}, not a GradClip lock file; remove it to use this folder.");
        }
    }

    /// <summary>Opens the lock file exclusively, trying again briefly in case another process was only looking at it (as <see cref="Holder"/> does).</summary>
    private static FileStream Open(string folder, string path)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (attempt == OpenAttempts)
                {
                    throw new RunFolderLockedException(folder, HolderOf(path) ?? 0);
                }
                Thread.Sleep(RetryDelay);
            }
        }
    }

    /// <summary>The process id of the live run that holds <paramref name="folder"/>'s lock, or null when no live run does.</summary>
    /// <exception cref="IOException">The lock file's name holds a FIFO, a device or a folder.</exception>
    public static int? Holder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        RefuseNonRegular(path);
        try
        {
            // Opening it takes the lock for a moment: that succeeds exactly when no live process holds it.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return null;
        }
        catch (IOException)
        {
            return HolderOf(path) ?? 0;
        }
    }

    /// <summary>Removes the lock file and releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The lock is released when the file is closed; a file left behind names a process that no longer holds it.
        }
        _stream.Dispose();
    }

    /// <summary>The process id written in a lock file that another process holds (read without taking the lock), or null when it cannot be read.</summary>
    private static int? HolderOf(string path) => PosixFiles.ReadUnlocked(path, MaxHolderBytes) is { } text ? ParseHolder(text) : null;

    private static int? ParseHolder(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
}
