namespace GradClip.Serialization;

/// <summary>Writes files so that a crash, a full disk or an error never leaves a half-written file at the destination.</summary>
public static partial class AtomicFile
{
    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file beside <paramref name="path"/>, flushes it to disk,
    /// renames it into place and flushes the folder, so that the rename survives a power cut too; on any failure the
    /// temporary file is removed and an <see cref="IOException"/> names the file.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
            PosixFiles.SyncFolder(Path.GetDirectoryName(full)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new IOException($"Could not write '{path}': {ex.Message}", ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> atomically.</summary>
    public static void WriteBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>
    /// Removes the temporary files that writes into <paramref name="folder"/> left when the process was killed mid-write;
    /// call it only while no other process writes there (holding its <see cref="RunFolderLock"/>). Returns the names removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveTemporaryFiles(string folder)
    {
        var removed = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, ".*.tmp").Where(f => IsTemporaryName(Path.GetFileName(f))))
        {
            File.Delete(file);
            removed.Add(Path.GetFileName(file));
        }
        return removed;
    }

    /// <summary>Whether <paramref name="name"/> is the name of a temporary file that <see cref="Write"/> creates (a dot, the file's name, 32 hex digits, .tmp).</summary>
    public static bool IsTemporaryName(string name) => TemporaryName().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error is what the caller needs; a leftover temporary file is named with a dot and .tmp.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
