using GradClip.Cli.Report;
using GradClip.Monitoring;
using GradClip.Serialization;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>
/// Keeps earlier runs safe: a new run writes only into a missing or empty folder; <c>--overwrite</c> replaces a folder
/// whole, and only one that is recognisably a GradClip run (its own files and nothing else), and never the working
/// folder, one above it, the home folder or the file system's root. A folder a live run is writing is refused either way.
/// </summary>
public static class RunFolder
{
    private static readonly HashSet<string> OwnFiles = new(StringComparer.Ordinal)
    {
        MetricsFiles.EpochsCsvFile, MetricsFiles.EpochsFile, MetricsFiles.StepsFile, SavedModel.WeightsFile, SavedModel.DescriptionFile,
        RunFiles.SummaryFile, RunReport.ReportFile, ComparisonRecords.ComparisonFile, RunFolderLock.FileName,
    };

    /// <summary>Why <paramref name="folder"/> cannot take a new run's files (with <paramref name="overwrite"/>: cannot be replaced); empty when it can.</summary>
    public static IEnumerable<string> Problems(string folder, bool overwrite)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        if (RunFolderLock.Holder(folder) is { } process)
        {
            yield return "--out: " + new RunFolderLockedException(folder, process).Message;
            yield break;
        }
        // A lock or temporary files that a killed run left behind are no run: the next run takes them over.
        if (Directory.EnumerateFileSystemEntries(folder).All(entry => IsLeftover(Path.GetFileName(entry))))
        {
            yield break;
        }
        if (!overwrite)
        {
            yield return $"--out: '{folder}' already holds files, and a run never writes over another; name a new folder, or pass --overwrite to replace the run in it.";
        }
        else if (Protected(folder) is { } what)
        {
            yield return $"--overwrite: '{folder}' is {what}, which is never emptied; name the run's own folder.";
        }
        else if (Foreign(folder) is { } entry)
        {
            yield return $"--overwrite: '{folder}' holds '{Path.GetRelativePath(folder, entry)}', which is not a file of a GradClip run, so the folder is not replaced; move it away or name another folder.";
        }
    }

    /// <summary>Removes <paramref name="folder"/> and everything in it, when it exists (after <see cref="Problems"/> found none with --overwrite).</summary>
    public static void Clear(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What the folder is when it must never be emptied (the root, the home folder, the working folder or one above it), else null.</summary>
    private static string? Protected(string folder)
    {
        string full = Trimmed(Path.GetFullPath(folder));
        string home = Trimmed(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        string working = Trimmed(Directory.GetCurrentDirectory());
        if (full == Trimmed(Path.GetPathRoot(full)!))
        {
            return "the root of the file system";
        }
        if (full == home)
        {
            return "the home folder";
        }
        if (working == full || working.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return "the working folder or a folder above it";
        }
        return null;
    }

    /// <summary>The first entry in <paramref name="folder"/> that no run writes, or null when every one is a run's own.</summary>
    /// <remarks>
    /// A run's own: its logs, model, summary, report and plots, comparison.json, the lock, temporary files of an interrupted
    /// write, its checkpoint folder, and (for a comparison) run folders of the same kind, one per strategy.
    /// </remarks>
    private static string? Foreign(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(file);
            bool own = OwnFiles.Contains(name) || name.EndsWith(".png", StringComparison.Ordinal) || name.EndsWith(".svg", StringComparison.Ordinal)
                || IsLeftover(name);
            if (!own || new FileInfo(file).LinkTarget is not null)
            {
                return file;
            }
        }
        foreach (string child in Directory.EnumerateDirectories(folder))
        {
            if (new DirectoryInfo(child).LinkTarget is not null)
            {
                return child;
            }
            if (Path.GetFileName(child) != TrainRun.CheckpointFolderName && Foreign(child) is { } entry)
            {
                return entry;
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="name"/> is the lock file or a temporary file of an interrupted write.</summary>
    private static bool IsLeftover(string name) =>
        name == RunFolderLock.FileName || (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal));

    private static string Trimmed(string path) => path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar) : path;
}
