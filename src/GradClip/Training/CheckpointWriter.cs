using GradClip.Serialization;

namespace GradClip.Training;

/// <summary>
/// Saves a run's checkpoints into a <see cref="CheckpointFolder"/>: each a new generation folder, made complete and flushed
/// to disk beside the current one, then switched in by one atomic rename of the marker; the older generation is removed
/// only after the switch. The records are appended to the history, never rewritten, so that a save costs the same late
/// in a run as early.
/// </summary>
public sealed class CheckpointWriter
{
    private static readonly Dictionary<string, string> s_metadata = new() { ["format"] = CheckpointJson.Format };

    private readonly string _folder;
    private long _historyBytes;
    private int _steps;
    private int _epochs;

    private CheckpointWriter(string folder, long historyBytes, int steps, int epochs)
    {
        _folder = folder;
        _historyBytes = historyBytes;
        _steps = steps;
        _epochs = epochs;
    }

    /// <summary>A writer for a new run: its first save starts the history afresh and replaces any checkpoint in <paramref name="folder"/>.</summary>
    public static CheckpointWriter StartNew(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return new CheckpointWriter(folder, 0, 0, 0);
    }

    /// <summary>A writer that continues the history of the checkpoint in <paramref name="folder"/>, for a resumed run.</summary>
    /// <exception cref="CheckpointFormatException">The folder's marker is missing or malformed.</exception>
    public static CheckpointWriter Continue(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var manifest = CheckpointFolder.TryReadManifest(folder) ?? throw new CheckpointFormatException(Path.Combine(folder, CheckpointFolder.MarkerFile), "is missing or malformed.");
        string history = Path.Combine(folder, CheckpointFolder.HistoryFile);
        if (new FileInfo(history).LinkTarget is not null)
        {
            // The history is cut back and appended to in place: through a link that would rewrite a file outside the run.
            throw new CheckpointFormatException(history, "is a symbolic link; a run's history must be a file of its own.");
        }
        return new CheckpointWriter(folder, manifest.HistoryBytes, manifest.Steps, manifest.Epoch);
    }

    /// <summary>
    /// Saves <paramref name="checkpoint"/>, which must extend the records saved before, with <paramref name="context"/>
    /// recorded in the marker. Every file is flushed to disk before the marker is switched.
    /// </summary>
    /// <exception cref="IOException">A file could not be written; the previous checkpoint then stays the folder's checkpoint.</exception>
    public void Save(TrainingCheckpoint checkpoint, CheckpointContext context)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(context);
        if (checkpoint.Steps.Count < _steps || checkpoint.Epochs.Count < _epochs)
        {
            throw new ArgumentException(
                $"The checkpoint holds {checkpoint.Steps.Count} steps and {checkpoint.Epochs.Count} epochs, fewer than the {_steps} and {_epochs} saved before.", nameof(checkpoint));
        }
        Directory.CreateDirectory(_folder);
        long historyBytes = AppendHistory(checkpoint);
        string generation = CheckpointFolder.GenerationOf(NextGeneration());
        var files = WriteGeneration(Path.Combine(_folder, generation), checkpoint);
        var manifest = new CheckpointJson.Manifest(CheckpointJson.Format, CheckpointJson.Version, generation, checkpoint.Epoch, checkpoint.EpochStep,
            checkpoint.Steps.Count, historyBytes, files, context.LogOffsets, context.TrainedOn, context.Options);
        AtomicFile.WriteBytes(Path.Combine(_folder, CheckpointFolder.MarkerFile), CheckpointJson.Serialize(manifest));
        (_historyBytes, _steps, _epochs) = (historyBytes, checkpoint.Steps.Count, checkpoint.Epochs.Count);
        foreach (string older in CheckpointFolder.Generations(_folder).Where(g => Path.GetFileName(g) != generation))
        {
            Directory.Delete(older, recursive: true);
        }
    }

    /// <summary>Cuts the history back to what the current marker covers, appends the new records, flushes it to disk; returns its length.</summary>
    private long AppendHistory(TrainingCheckpoint checkpoint)
    {
        string path = Path.Combine(_folder, CheckpointFolder.HistoryFile);
        try
        {
            using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1 << 16);
            stream.SetLength(_historyBytes);
            stream.Seek(0, SeekOrigin.End);
            for (int i = _steps; i < checkpoint.Steps.Count; i++)
            {
                WriteLine(stream, new CheckpointJson.HistoryLine(checkpoint.Steps[i], null));
            }
            for (int i = _epochs; i < checkpoint.Epochs.Count; i++)
            {
                WriteLine(stream, new CheckpointJson.HistoryLine(null, checkpoint.Epochs[i]));
            }
            stream.Flush(flushToDisk: true);
            return stream.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Could not write '{path}': {ex.Message}", ex);
        }
    }

    private static void WriteLine(Stream stream, CheckpointJson.HistoryLine line)
    {
        stream.Write(CheckpointJson.Serialize(line));
        stream.WriteByte((byte)'\n');
    }

    /// <summary>One more than the highest generation in the folder.</summary>
    private long NextGeneration() =>
        CheckpointFolder.Generations(_folder).Select(g => CheckpointFolder.NumberOf(Path.GetFileName(g))).DefaultIfEmpty(0).Max() + 1;

    /// <summary>Writes the generation's files, each flushed to disk, and the folder; returns each file's SHA-256.</summary>
    private static Dictionary<string, string> WriteGeneration(string generation, TrainingCheckpoint checkpoint)
    {
        Directory.CreateDirectory(generation);
        var state = new CheckpointJson.State(OptimizerStateFiles.Scalars(checkpoint.Optimizer), checkpoint.Clipping, checkpoint.BestEpoch, checkpoint.BestLoss, checkpoint.Generator);
        var contents = new List<(string File, byte[] Bytes)>
        {
            (CheckpointFolder.WeightsFile, SafeTensors.Serialize(checkpoint.Weights, s_metadata)),
            (CheckpointFolder.OptimizerFile, SafeTensors.Serialize(OptimizerStateFiles.Tensors(checkpoint.Optimizer), s_metadata)),
            (CheckpointFolder.StateFile, CheckpointJson.Serialize(state)),
        };
        if (checkpoint.BestWeights is { } best)
        {
            contents.Add((CheckpointFolder.BestWeightsFile, SafeTensors.Serialize(best, s_metadata)));
        }
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, bytes) in contents)
        {
            AtomicFile.WriteBytes(Path.Combine(generation, file), bytes);
            hashes[file] = CheckpointFolder.Hash(bytes);
        }
        return hashes;
    }
}
