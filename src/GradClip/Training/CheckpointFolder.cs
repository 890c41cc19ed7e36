using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GradClip.Monitoring;
using GradClip.Serialization;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>
/// A <see cref="TrainingCheckpoint"/> on disk, as a folder: <see cref="MarkerFile"/>, a generation folder (the weights,
/// best weights and optimizer buffers as safetensors, the scalars as JSON whose numbers round-trip exactly), and
/// <see cref="HistoryFile"/>, the records so far, appended and never rewritten.
/// </summary>
/// <remarks>
/// <see cref="CheckpointWriter"/> makes a new generation complete beside the current one and switches to it by renaming
/// one small marker into place, which names the generation, the SHA-256 of each of its files and how many bytes of the
/// history it covers; only then does it remove the older generation. So at every instant the folder holds one complete
/// checkpoint (once the first was written), and <see cref="Load"/> refuses a file that is half-written or from another
/// checkpoint, naming it.
/// </remarks>
public static partial class CheckpointFolder
{
    /// <summary>The marker, switched in last, that names the current generation and hashes its files.</summary>
    public const string MarkerFile = "checkpoint.json";

    /// <summary>The current weights.</summary>
    public const string WeightsFile = "weights.safetensors";

    /// <summary>The weights of the best epoch so far (absent when no epoch had a finite loss).</summary>
    public const string BestWeightsFile = "best.safetensors";

    /// <summary>The optimizer's per-parameter buffers.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>The optimizer's and the clipping's scalars and the best epoch.</summary>
    public const string StateFile = "state.json";

    /// <summary>The step records and epoch summaries, one JSON object a line, appended at each checkpoint.</summary>
    public const string HistoryFile = "history.jsonl";

    /// <summary>The largest <see cref="MarkerFile"/> accepted.</summary>
    internal const int MaxMarkerBytes = 1 << 20;

    /// <summary>The largest generation file accepted (the most a .NET array holds).</summary>
    private const int MaxFileBytes = 2_000_000_000;

    /// <summary>The largest history line accepted.</summary>
    private const int MaxHistoryLineBytes = 16 << 20;

    /// <summary>The files a generation may hold.</summary>
    internal static readonly IReadOnlyList<string> GenerationFiles = [WeightsFile, BestWeightsFile, OptimizerFile, StateFile];

    /// <summary>Reads and checks every file of the checkpoint in <paramref name="folder"/>.</summary>
    /// <exception cref="CheckpointFormatException">A file is missing, malformed, not a regular file, or disagrees with the marker.</exception>
    public static SavedCheckpoint Load(string folder)
    {
        var manifest = ReadManifest(folder);
        string generation = Path.Combine(folder, manifest.Generation);
        var files = manifest.Files.ToDictionary(f => f.Key, f => ReadHashed(Path.Combine(generation, f.Key), f.Value), StringComparer.Ordinal);
        string statePath = Path.Combine(generation, StateFile);
        var state = CheckpointJson.Deserialize<CheckpointJson.State>(files[StateFile], statePath);
        if (state.BestEpoch < 0 || state.BestEpoch > manifest.Epoch)
        {
            throw new CheckpointFormatException(statePath, $"names best epoch {state.BestEpoch}, outside the {manifest.Epoch} epochs trained.");
        }
        if ((state.BestEpoch > 0) != files.ContainsKey(BestWeightsFile))
        {
            throw new CheckpointFormatException(Path.Combine(folder, MarkerFile),
                $"{(state.BestEpoch > 0 ? "lists no" : "lists a")} {BestWeightsFile}, but {StateFile} names best epoch {state.BestEpoch}.");
        }
        var (epochs, steps) = ReadHistory(Path.Combine(folder, HistoryFile), manifest);
        string optimizerPath = Path.Combine(generation, OptimizerFile);
        var optimizer = OptimizerStateFiles.Read(state.Optimizer, Tensors(files[OptimizerFile], optimizerPath), optimizerPath);
        var weights = Tensors(files[WeightsFile], Path.Combine(generation, WeightsFile));
        var best = files.TryGetValue(BestWeightsFile, out var bestBytes) ? Tensors(bestBytes, Path.Combine(generation, BestWeightsFile)) : null;
        var checkpoint = new TrainingCheckpoint(
            manifest.Epoch, manifest.EpochStep, weights, optimizer, state.Clipping, state.BestEpoch, state.BestLoss, best, epochs, steps, state.Generator);
        return new SavedCheckpoint(checkpoint, Context(manifest));
    }

    /// <summary>The context recorded in the marker of the checkpoint in <paramref name="folder"/>, without reading the rest.</summary>
    /// <exception cref="CheckpointFormatException">The marker is missing or malformed.</exception>
    public static CheckpointContext LoadContext(string folder) => Context(ReadManifest(folder));

    /// <summary>
    /// Removes what an interrupted save left in <paramref name="folder"/>: temporary files, and generation folders the marker
    /// does not name (all of them when there is no valid marker). Call it only while holding the run folder's lock.
    /// </summary>
    /// <returns>The names removed.</returns>
    public static IReadOnlyList<string> RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }
        string? current = TryReadManifest(folder)?.Generation;
        var removed = new List<string>(AtomicFile.RemoveTemporaryFiles(folder));
        foreach (string generation in Generations(folder).Where(g => Path.GetFileName(g) != current))
        {
            Directory.Delete(generation, recursive: true);
            removed.Add(Path.GetFileName(generation));
        }
        return removed;
    }

    /// <summary>The generation folders in <paramref name="folder"/>.</summary>
    internal static IEnumerable<string> Generations(string folder) =>
        Directory.EnumerateDirectories(folder).Where(d => GenerationName().IsMatch(Path.GetFileName(d)));

    /// <summary>The name of generation <paramref name="number"/>.</summary>
    internal static string GenerationOf(long number) => "g-" + number.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The generation number of a generation folder's name.</summary>
    internal static long NumberOf(string generation) => long.Parse(generation.AsSpan(2), CultureInfo.InvariantCulture);

    /// <summary>The lower-case hexadecimal SHA-256 of <paramref name="bytes"/>.</summary>
    internal static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The marker of <paramref name="folder"/>, or null when it is missing or invalid.</summary>
    internal static CheckpointJson.Manifest? TryReadManifest(string folder)
    {
        try
        {
            return ReadManifest(folder);
        }
        catch (CheckpointFormatException)
        {
            return null;
        }
    }

    private static CheckpointContext Context(CheckpointJson.Manifest manifest) => new(manifest.Options, manifest.TrainedOn, manifest.Logs);

    private static CheckpointJson.Manifest ReadManifest(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, MarkerFile);
        if (!Directory.Exists(folder))
        {
            throw new CheckpointFormatException(folder, "no such folder.");
        }
        if (!File.Exists(path))
        {
            throw new CheckpointFormatException(path, "not found: no checkpoint was written yet.");
        }
        var manifest = CheckpointJson.Deserialize<CheckpointJson.Manifest>(ReadBytes(path, MaxMarkerBytes), path);
        if (manifest.Format != CheckpointJson.Format)
        {
            throw new CheckpointFormatException(path, $"is not a GradClip checkpoint (format '{CheckpointJson.Format}', version {CheckpointJson.Version}).");
        }
        if (manifest.Version != CheckpointJson.Version)
        {
            throw new CheckpointFormatException(path,
                $"holds a checkpoint of format version {manifest.Version}, written by another version of GradClip; this one reads version {CheckpointJson.Version}. Resume it with the version that wrote it, or train afresh.");
        }
        if (manifest.Epoch < 0 || manifest.EpochStep < 0 || manifest.Steps < 0 || manifest.HistoryBytes < 0 || manifest.Logs.Values.Any(v => v < 0))
        {
            throw new CheckpointFormatException(path,
                $"names epoch {manifest.Epoch}, epoch step {manifest.EpochStep}, {manifest.Steps} steps and byte offsets; none may be negative.");
        }
        if (!GenerationName().IsMatch(manifest.Generation))
        {
            throw new CheckpointFormatException(path, $"names the generation '{manifest.Generation}', which is not a generation folder's name (g- and 8 digits).");
        }
        string[] required = [WeightsFile, OptimizerFile, StateFile];
        if (manifest.Files.Keys.Except(GenerationFiles).Any() || required.Except(manifest.Files.Keys).Any())
        {
            throw new CheckpointFormatException(path,
                $"lists the files {string.Join(", ", manifest.Files.Keys)}; a generation holds {string.Join(", ", required)} and optionally {BestWeightsFile}.");
        }
        return manifest;
    }

    /// <summary>Reads a generation file and checks it against the SHA-256 the marker holds for it.</summary>
    private static byte[] ReadHashed(string path, string expected)
    {
        byte[] bytes = ReadBytes(path, MaxFileBytes);
        if (Hash(bytes) != expected)
        {
            throw new CheckpointFormatException(path,
                $"does not match the SHA-256 that {MarkerFile} records for it: the file was changed, half-written, or comes from another checkpoint.");
        }
        return bytes;
    }

    /// <summary>Reads the first <c>HistoryBytes</c> bytes of the history, line by line, and checks the records against the marker.</summary>
    private static (List<EpochSummary> Epochs, List<StepRecord> Steps) ReadHistory(string path, CheckpointJson.Manifest manifest)
    {
        var epochs = new List<EpochSummary>();
        var steps = new List<StepRecord>();
        try
        {
            using var stream = RegularFile.OpenRead(path);
            if (stream.Length < manifest.HistoryBytes)
            {
                throw new CheckpointFormatException(path, $"holds {stream.Length} bytes, fewer than the {manifest.HistoryBytes} that {MarkerFile} covers.");
            }
            var lines = new HistoryLines(stream, manifest.HistoryBytes, MaxHistoryLineBytes);
            while (lines.Next() is { } line)
            {
                var record = CheckpointJson.Deserialize<CheckpointJson.HistoryLine>(line.Span, $"{path}, line {lines.Number}");
                switch (record)
                {
                    case { Step: { } step, Epoch: null }:
                        steps.Add(step);
                        break;
                    case { Step: null, Epoch: { } epoch }:
                        epochs.Add(epoch);
                        break;
                    default:
                        throw new CheckpointFormatException($"{path}, line {lines.Number}", "holds both a step and an epoch, or neither.");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointFormatException(path, $"cannot be read: {ex.Message}", ex);
        }
        CheckHistory(epochs, steps, manifest, path);
        return (epochs, steps);
    }

    /// <summary>Checks that the records are numbered in order and agree with the position the marker names.</summary>
    private static void CheckHistory(List<EpochSummary> epochs, List<StepRecord> steps, CheckpointJson.Manifest manifest, string path)
    {
        if (epochs.Count != manifest.Epoch || steps.Count != manifest.Steps)
        {
            throw new CheckpointFormatException(path,
                $"holds {epochs.Count} epochs and {steps.Count} steps, but {MarkerFile} names {manifest.Epoch} and {manifest.Steps}.");
        }
        for (int i = 0; i < epochs.Count; i++)
        {
            if (epochs[i].Epoch != i + 1)
            {
                throw new CheckpointFormatException(path, $"epoch record {i + 1} is numbered out of order.");
            }
        }
        int previousEpoch = 1;
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Step != i + 1 || step.Epoch < previousEpoch || step.Epoch > manifest.Epoch + 1
                || step.ParameterNorms is null || step.NonFiniteParameters is null || step.NonFiniteParameters.Any(name => name is null))
            {
                throw new CheckpointFormatException(path, $"step record {i + 1} is incomplete or numbered out of order.");
            }
            previousEpoch = step.Epoch;
        }
        int unfinished = steps.Count(s => s.Epoch == manifest.Epoch + 1);
        if (unfinished != manifest.EpochStep)
        {
            throw new CheckpointFormatException(path,
                $"holds {unfinished} steps of epoch {manifest.Epoch + 1}, but {MarkerFile} names {manifest.EpochStep}.");
        }
    }

    private static IReadOnlyList<(string Name, Tensor Tensor)> Tensors(byte[] bytes, string path)
    {
        try
        {
            return SafeTensors.Parse(bytes, path).Tensors;
        }
        catch (SafeTensorsFormatException ex)
        {
            throw new CheckpointFormatException(path, ex.Problem, ex);
        }
    }

    private static byte[] ReadBytes(string path, int maxBytes)
    {
        try
        {
            return RegularFile.ReadAllBytes(path, maxBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointFormatException(path, $"cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Whether <paramref name="name"/> is the name of a checkpoint generation folder (<c>g-</c> and eight digits).</summary>
    public static bool IsGenerationName(string name) => GenerationName().IsMatch(name);

    [GeneratedRegex(@"^g-[0-9]{8}$")]
    private static partial Regex GenerationName();
}
