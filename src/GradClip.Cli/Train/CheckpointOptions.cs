using System.Globalization;
using GradClip.Data;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>
/// The settings of a run as its checkpoint records them: each option's name (without <c>--</c>) and its value as it
/// would be typed, so that <c>gradclip train --resume</c> reads them back with the command's own parser and checks.
/// </summary>
/// <remarks>The data file is recorded by its full path, so that a run can be resumed from another folder; --out and --resume are not recorded.</remarks>
public static class CheckpointOptions
{
    /// <summary>The recorded options of <paramref name="o"/>; options left unset (data, target, task, checkpoint interval) and CSV options at their defaults are left out.</summary>
    public static Dictionary<string, string> Describe(TrainOptions o)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o.DataPath is { } data)
        {
            options["data"] = Path.GetFullPath(data);
        }
        if (o.Target is { } target)
        {
            options["target"] = target;
        }
        foreach (var (name, value) in CsvFormatOptions.Typed(o.Csv ?? CsvOptions.Default))
        {
            options[name] = value;
        }
        if (o.BuiltIn is { } builtIn)
        {
            options["task"] = builtIn.Name;
        }
        else if (o.Task is { } task)
        {
            options["task"] = task.ToString().ToLowerInvariant();
        }
        options["hidden"] = string.Join(",", o.Hidden.Select(Text));
        options["epochs"] = Text(o.Epochs);
        options["batch-size"] = Text(o.BatchSize);
        options["lr"] = SavedModel.OptionText(o.LearningRate);
        options["optimizer"] = o.Optimizer.ToString().ToLowerInvariant();
        options["clip"] = o.Clip.ToString().ToLowerInvariant();
        options["max-norm"] = SavedModel.OptionText(o.MaxNorm);
        options["norm-type"] = double.IsPositiveInfinity(o.NormType) ? "inf" : SavedModel.OptionText(o.NormType);
        options["clip-value"] = SavedModel.OptionText(o.ClipValue);
        options["percentile"] = SavedModel.OptionText(o.Percentile);
        options["z-threshold"] = SavedModel.OptionText(o.ZThreshold);
        options["agc-clipping"] = SavedModel.OptionText(o.AgcClipping);
        options["nonfinite"] = o.OnNonFinite.ToString().ToLowerInvariant();
        options["lr-schedule"] = o.ScheduleName;
        if (o.Schedule == LrSchedule.WarmupCosine)
        {
            options["warmup"] = Text(o.Warmup);
        }
        options["weight-decay"] = SavedModel.OptionText(o.WeightDecay);
        if (o.Optimizer == OptimizerKind.Sgd)
        {
            options["momentum"] = SavedModel.OptionText(o.Momentum);
        }
        options["dropout"] = SavedModel.OptionText(o.Dropout);
        options["monitor"] = o.Monitor;
        if (o.Patience is { } patience)
        {
            options["patience"] = Text(patience);
        }
        options["val-split"] = SavedModel.OptionText(o.ValidationFraction);
        options["seed"] = Text(o.Seed);
        options["no-standardize"] = o.Standardize ? "false" : "true";
        if (o.CheckpointEvery is { } every)
        {
            options["checkpoint-every"] = Text(every);
        }
        return options;
    }

    /// <summary>The command line that gives back the recorded options: <c>--name value</c> for each.</summary>
    public static string[] Arguments(IReadOnlyDictionary<string, string> recorded) =>
        [.. recorded.SelectMany(option => new[] { "--" + option.Key, option.Value })];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
