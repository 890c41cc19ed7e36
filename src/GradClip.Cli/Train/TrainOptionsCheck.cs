using System.Globalization;

namespace GradClip.Cli.Train;

/// <summary>The range checks on <c>gradclip train</c>'s numbers, one message per problem, each naming the option.</summary>
public static class TrainOptionsCheck
{
    /// <summary>The widest hidden layer accepted.</summary>
    public const int MaxWidth = 65_536;

    /// <summary>The most epochs accepted.</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>Every problem with the options' values; empty when they are all in range.</summary>
    public static IEnumerable<string> Problems(TrainOptions o) => RangeProblems(o).Concat(PathProblems(o));

    /// <summary>The problems with the options' numbers, which need no look at the disk.</summary>
    public static IEnumerable<string> RangeProblems(TrainOptions o)
    {
        if (o.Epochs < 1 || o.Epochs > MaxEpochs)
        {
            yield return $"--epochs: must be between 1 and {MaxEpochs}, but was {Text(o.Epochs)}.";
        }
        if (o.BatchSize < 1)
        {
            yield return $"--batch-size: must be at least 1, but was {Text(o.BatchSize)}.";
        }
        if (!(o.LearningRate > 0 && double.IsFinite(o.LearningRate)))
        {
            yield return $"--lr: must be finite and greater than zero, but was {Text(o.LearningRate)}.";
        }
        if (!(o.MaxNorm > 0 && double.IsFinite(o.MaxNorm)))
        {
            yield return $"--max-norm: must be finite and greater than zero, but was {Text(o.MaxNorm)}.";
        }
        if (!(o.ClipValue > 0 && double.IsFinite(o.ClipValue)))
        {
            yield return $"--clip-value: must be finite and greater than zero, but was {Text(o.ClipValue)}.";
        }
        if (!(o.Percentile >= 0 && o.Percentile <= 100))
        {
            yield return $"--percentile: must be between 0 and 100, but was {Text(o.Percentile)}.";
        }
        if (!(o.ZThreshold > 0 && double.IsFinite(o.ZThreshold)))
        {
            yield return $"--z-threshold: must be finite and greater than zero, but was {Text(o.ZThreshold)}.";
        }
        if (!(o.AgcClipping > 0 && double.IsFinite(o.AgcClipping)))
        {
            yield return $"--agc-clipping: must be finite and greater than zero, but was {Text(o.AgcClipping)}.";
        }
        if (!(o.ValidationFraction > 0 && o.ValidationFraction < 1))
        {
            yield return $"--val-split: must be between 0 and 1 (exclusive), but was {Text(o.ValidationFraction)}.";
        }
        if (o.Schedule == LrSchedule.WarmupCosine && (o.Warmup < 1 || o.Warmup >= o.Epochs))
        {
            yield return $"--warmup: must be at least 1 and below --epochs ({Text(o.Epochs)}) epochs, but was {Text(o.Warmup)}.";
        }
        if (!(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay)))
        {
            yield return $"--weight-decay: must be finite and at least zero, but was {Text(o.WeightDecay)}.";
        }
        if (!(o.Momentum >= 0 && o.Momentum < 1))
        {
            yield return $"--momentum: must be at least 0 and below 1, but was {Text(o.Momentum)}.";
        }
        if (!(o.Dropout >= 0 && o.Dropout < 1))
        {
            yield return $"--dropout: must be at least 0 and below 1, but was {Text(o.Dropout)}.";
        }
        if (o.Patience is { } patience && patience < 1)
        {
            yield return $"--patience: must be at least 1 (epochs), but was {Text(patience)}.";
        }
        if (o.CheckpointEvery is { } every && every < 1)
        {
            yield return $"--checkpoint-every: must be at least 1 (epochs), but was {Text(every)}.";
        }
    }

    /// <summary>The problems with the data file and the output folder (the latter checked by writing a probe file there).</summary>
    public static IEnumerable<string> PathProblems(TrainOptions o)
    {
        if (o.DataPath is { } path && !File.Exists(path))
        {
            yield return Directory.Exists(path) ? $"--data: '{path}' is a folder, not a CSV file." : $"--data: file '{path}' not found.";
        }
        if (File.Exists(o.OutputFolder))
        {
            yield return $"--out: '{o.OutputFolder}' is a file; a folder is needed.";
        }
        else if (WriteProblem(o.OutputFolder) is { } problem)
        {
            yield return $"--out: {problem}";
        }
    }

    /// <summary>
    /// Whether files can be written into <paramref name="folder"/>: creates it when missing, writes and deletes a probe
    /// file there, then removes the folders it created, so that checking leaves nothing behind. Returns the problem, or null.
    /// </summary>
    public static string? WriteProblem(string folder)
    {
        string full = Path.GetFullPath(folder);
        string? created = FirstMissing(full);
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".gradclip-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot write into folder '{folder}': {ex.Message}";
        }
        finally
        {
            if (created is not null && Directory.Exists(created))
            {
                Directory.Delete(created, recursive: true);
            }
        }
    }

    /// <summary>The outermost folder on <paramref name="full"/>'s path that does not exist yet, or null when the whole path exists.</summary>
    private static string? FirstMissing(string full)
    {
        string? missing = null;
        for (string? folder = full; folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing = folder;
        }
        return missing;
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
