using System.Globalization;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Randomness;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>Judges a finished <c>train</c> or <c>compare</c> run: its records as a run trace, through the one health check.</summary>
public static class RunJudge
{
    /// <summary>
    /// The verdicts on <paramref name="result"/>, trained with <paramref name="options"/> towards <paramref name="objective"/>
    /// on <paramref name="data"/> split by <paramref name="split"/>.
    /// </summary>
    public static IReadOnlyList<HealthFinding> Judge(TrainOptions options, TrainingResult result, TabularData data, DataSplit split, TrainingObjective objective)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        var trace = RunTrace.FromRecords(result.Steps, result.Epochs, Setup(options, data, split, result.Steps.Count, objective));
        return HealthCheck.Diagnose(trace, step => result.EpochStarts.TryGetValue(EpochOf(step, options.BatchSize, split), out var start)
            ? DescribeBatch(options.BatchSize, start, data, split, step)
            : null);
    }

    /// <summary>
    /// The verdicts on a run that played <paramref name="environment"/>: judged on its return and gradient norms (the task's
    /// metrics say so), through the same health check.
    /// </summary>
    public static IReadOnlyList<HealthFinding> Judge(TrainOptions options, TrainingResult result, string environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        return HealthCheck.Diagnose(RunTrace.FromRecords(result.Steps, result.Epochs,
            ClippingSetup(options) with { TotalSteps = result.Steps.Count, Source = environment }));
    }

    /// <summary>The most rows a batch description names.</summary>
    private const int NamedRows = 10;

    /// <summary>The epoch that <paramref name="step"/> (counted from 1 over the run) belongs to, in batches of <paramref name="batchSize"/> rows.</summary>
    private static int EpochOf(int step, int batchSize, DataSplit split) => (step - 1) / new BatchSampler(split.TrainRows, batchSize).BatchCount + 1;

    /// <summary>
    /// Where the rows of <paramref name="step"/>'s batch are: their CSV lines, or their row numbers in built-in data. The
    /// trainer shuffles each epoch's batches (of <paramref name="batchSize"/> rows) with the run's generator, which was in
    /// state <paramref name="epochStart"/> as the step's epoch began, so the batch is drawn again here, not stored.
    /// </summary>
    internal static string DescribeBatch(int batchSize, GeneratorState epochStart, TabularData data, DataSplit split, int step)
    {
        var sampler = new BatchSampler(split.TrainRows, batchSize);
        var generator = new Generator(epochStart.Seed);
        generator.SetState(epochStart);
        var rows = sampler.Epoch(generator).ElementAt((step - 1) % sampler.BatchCount).ToArray();
        bool lines = !data.SourceLines.IsEmpty;
        var named = rows.Select(r => lines ? data.SourceLines[r] : r + 1).Order().ToList();
        string more = named.Count > NamedRows ? $" and {named.Count - NamedRows} more" : "";
        string list = string.Join(", ", named.Take(NamedRows).Select(n => n.ToString(CultureInfo.InvariantCulture))) + more;
        return lines ? $"lines {list} of {data.Source}" : $"rows {list} of the built-in data";
    }

    /// <summary>What the health check needs to know of how the options set the run up.</summary>
    internal static RunSetup Setup(TrainOptions options, TabularData data, DataSplit split, int steps, TrainingObjective objective)
    {
        if (objective == TrainingObjective.NextToken)
        {
            // A language model reports perplexity, not accuracy: the level of a model that learned nothing is the unigram's.
            return ClippingSetup(options) with { UnigramLoss = Math.Log(BuiltInText.UnigramPerplexity(data, split)), TotalSteps = steps, Source = data.Source };
        }
        bool classification = data.Task == TaskKind.Classification;
        return ClippingSetup(options) with
        {
            Task = data.Task,
            ClassCount = classification ? data.ClassCount : null,
            MeanPredictionLoss = classification ? null : MeanPredictionLoss(data, split),
            TotalSteps = steps,
            Source = data.Source,
        };
    }

    /// <summary>What the health check needs to know of how the options clip.</summary>
    private static RunSetup ClippingSetup(TrainOptions options) => new()
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
    };

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
