using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Cli.Tasks;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Serialization;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>
/// Keeps earlier runs safe: a new run writes only into a missing or empty folder; <c>--overwrite</c> replaces a folder
/// whole, and only one that is recognisably a GradClip run (its own files and nothing else), and never the working
/// folder, one above it, the home folder or the file system's root. A folder a live run is writing is refused either way,
/// and the folder is checked again and emptied only under its lock, so that two runs started together cannot empty each other's.
/// </summary>
public static class RunFolder
{
    private static readonly HashSet<string> OwnFiles = new(StringComparer.Ordinal)
    {
        MetricsFiles.EpochsCsvFile, MetricsFiles.EpochsFile, MetricsFiles.StepsFile, SavedModel.WeightsFile, SavedModel.DescriptionFile,
        RunFiles.SummaryFile, RunFiles.EvaluationFile, RunReport.ReportFile, ComparisonRecords.ComparisonFile, RunFolderLock.FileName,
        TextSample.FileName,
    };

    /// <summary>The files one of which a run folder always holds: what train writes first and last, and what compare writes.</summary>
    private static readonly string[] RunMarkers =
        [MetricsFiles.EpochsFile, RunFiles.SummaryFile, SavedModel.DescriptionFile, ComparisonRecords.ComparisonFile];

    /// <summary>The names of the plots a run's or a comparison's report draws, each written as PNG and SVG.</summary>
    private static readonly HashSet<string> PlotNames = new(
        ["loss", "grad_norm", "clip_rate", "param_norms", EpochMetric.ValidationLoss.Name, .. TaskMetrics.All.SelectMany(t => t.Metrics).Select(m => m.Name)],
        StringComparer.Ordinal);

    /// <summary>The files of a checkpoint's generation folder.</summary>
    private static readonly HashSet<string> GenerationFiles = new(StringComparer.Ordinal)
    {
        CheckpointFolder.WeightsFile, CheckpointFolder.BestWeightsFile, CheckpointFolder.OptimizerFile, CheckpointFolder.StateFile,
    };

    /// <summary>Why <paramref name="folder"/> cannot take a new run's files (with <paramref name="overwrite"/>: cannot be replaced); empty when it can.</summary>
    public static IEnumerable<string> Problems(string folder, bool overwrite)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }
        if (RunFolderLock.Holder(folder) is { } process)
        {
            return ["--out: " + new RunFolderLockedException(folder, process).Message];
        }
        return ContentProblems(folder, overwrite);
    }

    /// <summary>
    /// While this process holds <paramref name="folder"/>'s lock: refuses (exit 2) a folder that may not take the new run
    /// (checked again, since it may have changed after the options were read), and with <paramref name="overwrite"/>
    /// removes every entry in it but the lock file.
    /// </summary>
    public static void Prepare(string folder, bool overwrite)
    {
        var problems = ContentProblems(folder, overwrite).ToList();
        if (problems.Count > 0)
        {
            throw new UsageException(problems);
        }
        if (!overwrite)
        {
            return;
        }
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder).Where(e => Path.GetFileName(e) != RunFolderLock.FileName).ToList())
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    /// <summary>Why the files in the existing <paramref name="folder"/> keep a new run out of it (the lock aside).</summary>
    private static IEnumerable<string> ContentProblems(string folder, bool overwrite)
    {
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
        else if (!IsRun(folder, strategies: true))
        {
            yield return $"--overwrite: '{folder}' holds no GradClip run (none of {string.Join(", ", RunMarkers)}), so it is not replaced; name the run's own folder.";
        }
        else if (Foreign(folder, strategies: true) is { } entry)
        {
            yield return $"--overwrite: '{folder}' holds '{Path.GetRelativePath(folder, entry)}', which is not a file of a GradClip run, so the folder is not replaced; move it away or name another folder.";
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

    /// <summary>
    /// Whether <paramref name="folder"/> holds a file that only a run writes, or (with <paramref name="strategies"/>: a
    /// comparison stopped before comparison.json) a strategy's run folder that does.
    /// </summary>
    private static bool IsRun(string folder, bool strategies) =>
        RunMarkers.Any(marker => File.Exists(Path.Combine(folder, marker)))
        || (strategies && Directory.EnumerateDirectories(folder).Any(child => Path.GetFileName(child) != TrainRun.CheckpointFolderName && IsRun(child, strategies: false)));

    /// <summary>The first entry in <paramref name="folder"/> that no run writes, or null when every one is a run's own.</summary>
    /// <remarks>
    /// A run's own: its logs, model, summary, report and its plots by name, comparison.json, the lock, temporary files of an
    /// interrupted write, its checkpoint folder, and (with <paramref name="strategies"/>, for a comparison) run folders, one per strategy.
    /// </remarks>
    private static string? Foreign(string folder, bool strategies)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            if (!IsOwnFile(Path.GetFileName(file)) || new FileInfo(file).LinkTarget is not null)
            {
                return file;
            }
        }
        foreach (string child in Directory.EnumerateDirectories(folder))
        {
            string? foreign = new DirectoryInfo(child).LinkTarget is not null ? child
                : Path.GetFileName(child) == TrainRun.CheckpointFolderName ? ForeignInCheckpoint(child)
                : !strategies || !IsRun(child, strategies: false) ? child
                : Foreign(child, strategies: false);
            if (foreign is not null)
            {
                return foreign;
            }
        }
        return null;
    }

    /// <summary>The first entry of a checkpoint folder that its writer does not write (marker, history, generation folders, temporary files), or null.</summary>
    private static string? ForeignInCheckpoint(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(file);
            if (name is not (CheckpointFolder.MarkerFile or CheckpointFolder.HistoryFile) && !AtomicFile.IsTemporaryName(name) || new FileInfo(file).LinkTarget is not null)
            {
                return file;
            }
        }
        foreach (string generation in Directory.EnumerateDirectories(folder))
        {
            if (!CheckpointFolder.IsGenerationName(Path.GetFileName(generation)) || new DirectoryInfo(generation).LinkTarget is not null
                || Directory.EnumerateDirectories(generation).FirstOrDefault() is not null)
            {
                return generation;
            }
            if (Directory.EnumerateFiles(generation).FirstOrDefault(f => !GenerationFiles.Contains(Path.GetFileName(f)) && !AtomicFile.IsTemporaryName(Path.GetFileName(f))
                || new FileInfo(f).LinkTarget is not null) is { } file)
            {
                return file;
            }
        }
        return null;
    }

    /// <summary>Whether a run or a comparison writes a file named <paramref name="name"/> into its folder.</summary>
    private static bool IsOwnFile(string name) =>
        OwnFiles.Contains(name) || AtomicFile.IsTemporaryName(name)
        || (Path.GetExtension(name) is ".png" or ".svg" && PlotNames.Contains(Path.GetFileNameWithoutExtension(name)));

    /// <summary>Whether <paramref name="name"/> is the lock file or a temporary file of an interrupted write.</summary>
    private static bool IsLeftover(string name) => name == RunFolderLock.FileName || AtomicFile.IsTemporaryName(name);

    private static string Trimmed(string path) => path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar) : path;
}
