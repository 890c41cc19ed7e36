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
    public static IEnumerable<string> Problems(TrainOptions o)
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
        if (o.DataPath is { } path && !File.Exists(path))
        {
            yield return Directory.Exists(path) ? $"--data: '{path}' is a folder, not a CSV file." : $"--data: file '{path}' not found.";
        }
        if (File.Exists(o.OutputFolder))
        {
            yield return $"--out: '{o.OutputFolder}' is a file; a folder is needed.";
        }
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
