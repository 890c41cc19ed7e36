using GradClip.Monitoring;
using GradClip.Serialization;

namespace GradClip.Training;

/// <summary>
/// A <see cref="TrainingCheckpoint"/> on disk, as a folder of files: the weights, best weights and optimizer buffers as
/// safetensors, the scalars and records as JSON whose numbers round-trip exactly, and <see cref="MarkerFile"/> last.
/// </summary>
/// <remarks>
/// Each file is written atomically. <see cref="Save"/> first removes the marker, then writes the other files, then the
/// marker naming the epoch: a folder whose marker is missing was interrupted while being written, and
/// <see cref="Load"/> refuses it rather than mix files of two checkpoints.
/// </remarks>
public static class CheckpointFolder
{
    /// <summary>The file written last, whose presence says the checkpoint is complete.</summary>
    public const string MarkerFile = "checkpoint.json";

    /// <summary>The current weights.</summary>
    public const string WeightsFile = "weights.safetensors";

    /// <summary>The weights of the best epoch so far (absent when no epoch had a finite loss).</summary>
    public const string BestWeightsFile = "best.safetensors";

    /// <summary>The optimizer's per-parameter buffers.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>The optimizer's and the clipping's scalars and the best epoch.</summary>
    public const string StateFile = "state.json";

    /// <summary>The epoch summaries and step records so far.</summary>
    public const string HistoryFile = "history.json";

    /// <summary>The largest <see cref="MarkerFile"/> accepted.</summary>
    private const int MaxMarkerBytes = 1 << 20;

    private static readonly Dictionary<string, string> s_metadata = new() { ["format"] = CheckpointJson.Format };

    /// <summary>
    /// Writes <paramref name="checkpoint"/> into <paramref name="folder"/> (created when missing), replacing any checkpoint
    /// there, with <paramref name="options"/> (the caller's settings, as text) recorded in the marker.
    /// </summary>
    /// <exception cref="IOException">A file could not be written; the folder then has no marker.</exception>
    public static void Save(string folder, TrainingCheckpoint checkpoint, IReadOnlyDictionary<string, string> options)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, MarkerFile));
        SafeTensors.Write(Path.Combine(folder, WeightsFile), checkpoint.Weights, s_metadata);
        string bestPath = Path.Combine(folder, BestWeightsFile);
        if (checkpoint.BestWeights is { } best)
        {
            SafeTensors.Write(bestPath, best, s_metadata);
        }
        else
        {
            File.Delete(bestPath);
        }
        SafeTensors.Write(Path.Combine(folder, OptimizerFile), OptimizerStateFiles.Tensors(checkpoint.Optimizer), s_metadata);
        var state = new CheckpointJson.State(OptimizerStateFiles.Scalars(checkpoint.Optimizer), checkpoint.Clipping, checkpoint.BestEpoch, checkpoint.BestLoss, checkpoint.Generator);
        AtomicFile.WriteBytes(Path.Combine(folder, StateFile), CheckpointJson.Serialize(state));
        AtomicFile.WriteBytes(Path.Combine(folder, HistoryFile), CheckpointJson.Serialize(new CheckpointJson.History(checkpoint.Epochs, checkpoint.Steps)));
        var manifest = new CheckpointJson.Manifest(CheckpointJson.Format, 1, checkpoint.Epoch, checkpoint.EpochStep, checkpoint.Steps.Count, options);
        AtomicFile.WriteBytes(Path.Combine(folder, MarkerFile), CheckpointJson.Serialize(manifest));
    }

    /// <summary>Reads and checks every file of the checkpoint in <paramref name="folder"/>; also returns the options recorded with it.</summary>
    /// <exception cref="CheckpointFormatException">A file is missing, malformed, or disagrees with the others.</exception>
    public static (TrainingCheckpoint Checkpoint, IReadOnlyDictionary<string, string> Options) Load(string folder)
    {
        var manifest = ReadManifest(folder);
        string statePath = Path.Combine(folder, StateFile);
        var state = CheckpointJson.Deserialize<CheckpointJson.State>(ReadBytes(statePath, int.MaxValue), statePath);
        string historyPath = Path.Combine(folder, HistoryFile);
        var history = CheckpointJson.Deserialize<CheckpointJson.History>(ReadBytes(historyPath, int.MaxValue), historyPath);
        CheckHistory(history, manifest, historyPath);
        if (state.BestEpoch < 0 || state.BestEpoch > manifest.Epoch)
        {
            throw new CheckpointFormatException(statePath, $"names best epoch {state.BestEpoch}, outside the {manifest.Epoch} epochs trained.");
        }
        string optimizerPath = Path.Combine(folder, OptimizerFile);
        var optimizer = OptimizerStateFiles.Read(state.Optimizer, ReadTensors(optimizerPath), optimizerPath);
        var weights = ReadTensors(Path.Combine(folder, WeightsFile));
        var best = state.BestEpoch > 0 ? ReadTensors(Path.Combine(folder, BestWeightsFile)) : null;
        var checkpoint = new TrainingCheckpoint(
            manifest.Epoch, manifest.EpochStep, weights, optimizer, state.Clipping, state.BestEpoch, state.BestLoss, best, history.Epochs, history.Steps, state.Generator);
        return (checkpoint, manifest.Options);
    }

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
            throw new CheckpointFormatException(path,
                "not found, so the checkpoint is incomplete: it was being written when the run stopped, or none was written.");
        }
        var manifest = CheckpointJson.Deserialize<CheckpointJson.Manifest>(ReadBytes(path, MaxMarkerBytes), path);
        if (manifest.Format != CheckpointJson.Format || manifest.Version != 1)
        {
            throw new CheckpointFormatException(path, $"is not a GradClip checkpoint (format '{CheckpointJson.Format}', version 1).");
        }
        if (manifest.Epoch < 0 || manifest.EpochStep < 0 || manifest.Steps < 0)
        {
            throw new CheckpointFormatException(path,
                $"names epoch {manifest.Epoch}, epoch step {manifest.EpochStep} and {manifest.Steps} steps; none may be negative.");
        }
        return manifest;
    }

    /// <summary>Checks that the records are numbered in order and agree with the position the marker names.</summary>
    private static void CheckHistory(CheckpointJson.History history, CheckpointJson.Manifest manifest, string path)
    {
        if (history.Epochs.Count != manifest.Epoch || history.Steps.Count != manifest.Steps)
        {
            throw new CheckpointFormatException(path,
                $"holds {history.Epochs.Count} epochs and {history.Steps.Count} steps, but {MarkerFile} names {manifest.Epoch} and {manifest.Steps}.");
        }
        for (int i = 0; i < history.Epochs.Count; i++)
        {
            if (history.Epochs[i] is not { } epoch || epoch.Epoch != i + 1)
            {
                throw new CheckpointFormatException(path, $"epoch record {i + 1} is missing or numbered out of order.");
            }
        }
        int previousEpoch = 1;
        for (int i = 0; i < history.Steps.Count; i++)
        {
            if (history.Steps[i] is not StepRecord step || step.Step != i + 1 || step.Epoch < previousEpoch || step.Epoch > manifest.Epoch + 1
                || step.ParameterNorms is null || step.NonFiniteParameters is null || step.NonFiniteParameters.Any(name => name is null))
            {
                throw new CheckpointFormatException(path, $"step record {i + 1} is missing, incomplete or numbered out of order.");
            }
            previousEpoch = step.Epoch;
        }
        int unfinished = history.Steps.Count(s => s.Epoch == manifest.Epoch + 1);
        if (unfinished != manifest.EpochStep)
        {
            throw new CheckpointFormatException(path,
                $"holds {unfinished} steps of epoch {manifest.Epoch + 1}, but {MarkerFile} names {manifest.EpochStep}.");
        }
    }

    private static IReadOnlyList<(string Name, Tensor Tensor)> ReadTensors(string path)
    {
        try
        {
            return SafeTensors.Read(path).Tensors;
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
            var info = new FileInfo(path);
            if (info.Exists && info.Length > maxBytes)
            {
                throw new CheckpointFormatException(path, $"is {info.Length} bytes, more than such a file can be ({maxBytes}).");
            }
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointFormatException(path, $"cannot be read: {ex.Message}", ex);
        }
    }
}
