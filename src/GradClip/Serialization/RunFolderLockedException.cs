namespace GradClip.Serialization;

/// <summary>A run folder is being written by another live process, which holds its <see cref="RunFolderLock"/>.</summary>
public sealed class RunFolderLockedException : IOException
{
    /// <summary>Creates the exception for <paramref name="folder"/>, held by process <paramref name="processId"/>.</summary>
    public RunFolderLockedException(string folder, int processId)
        : base($"'{folder}' is being written by another gradclip run (process {processId}); wait for it to end or choose another folder.")
    {
        Folder = folder;
        ProcessId = processId;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The process id of the run that holds it (0 when its lock file could not be read).</summary>
    public int ProcessId { get; }
}
