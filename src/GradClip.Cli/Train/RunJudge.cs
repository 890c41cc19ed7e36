using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>Judges a finished <c>train</c> or <c>compare</c> run: its records as a run trace, through the one health check.</summary>
public static class RunJudge
{
    /// <summary>The verdicts on <paramref name="result"/>, trained with <paramref name="options"/> on <paramref name="data"/> split by <paramref name="split"/>.</summary>
    public static IReadOnlyList<HealthFinding> Judge(TrainOptions options, TrainingResult result, TabularData data, DataSplit split)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        var trace = RunTrace.FromRecords(result.Steps, result.Epochs, Setup(options, data, split, result.Steps.Count));
        return HealthCheck.Diagnose(trace);
    }

    /// <summary>What the health check needs to know of how the options set the run up.</summary>
    internal static RunSetup Setup(TrainOptions options, TabularData data, DataSplit split, int steps)
    {
        bool classification = data.Task == TaskKind.Classification;
        return new RunSetup
        {
            Clipping = options.Clip switch
            {
                ClipMode.None => ClippingKind.None,
                ClipMode.Norm => ClippingKind.Norm,
                ClipMode.Value => ClippingKind.Value,
                _ => ClippingKind.Adaptive,
            },
            MaxNorm = options.Clip == ClipMode.Norm ? options.MaxNorm : null,
            ClipValue = options.Clip == ClipMode.Value ? options.ClipValue : null,
            Task = data.Task,
            ClassCount = classification ? data.ClassCount : null,
            MeanPredictionLoss = classification ? null : MeanPredictionLoss(data, split),
            TotalSteps = steps,
            Source = data.Source,
        };
    }

    /// <summary>The validation loss of predicting the training targets' mean for every row, or null without validation rows.</summary>
    private static double? MeanPredictionLoss(TabularData data, DataSplit split)
    {
        if (split.ValidationRows.IsEmpty || split.TrainRows.IsEmpty)
        {
            return null;
        }
        double mean = split.TrainRows.Average(row => (double)data.Targets[row]);
        return split.ValidationRows.Average(row => (data.Targets[row] - mean) * (data.Targets[row] - mean));
    }
}
