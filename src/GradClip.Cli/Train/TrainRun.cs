using System.Diagnostics;
using GradClip.Adaptive;
using GradClip.Cli.Common;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary>One <c>gradclip train</c> run: data in, standardize, train with clipping, show the table and verdicts, write the files.</summary>
public static class TrainRun
{
    /// <summary>Runs the pipeline with <paramref name="options"/> and returns the exit code.</summary>
    public static int Execute(TrainOptions options, IAnsiConsole console)
    {
        var data = LoadData(options);
        var split = Split(data, options);
        var standardizer = options.Standardize ? Standardizer.Fit(data, split.TrainRows.AsSpan()) : null;
        CreateOutputFolder(options.OutputFolder);
        var spec = new MlpSpec(data.FeatureCount, options.Hidden, data.Task == TaskKind.Classification ? data.ClassCount : 1);
        var network = spec.Build(options.Seed);
        var clipping = Clipping(options, spec);
        TrainReport.WriteSetup(console, options, data, split, standardizer, spec, clipping);
        var trainer = new Trainer(network, Optimizer(options, network), clipping,
            new TrainerOptions(options.Epochs, options.BatchSize, options.Seed, options.OnNonFinite));
        var clock = Stopwatch.StartNew();
        var result = WithProgress(console, options.Epochs, onEpoch => trainer.Fit(data, split, standardizer, onEpoch));
        clock.Stop();
        TrainReport.WriteResult(console, result, data);
        var model = new SavedModel(spec, data.Task, data.FeatureNames, data.TargetName, data.ClassNames, standardizer, options.Describe());
        var files = RunFiles.Write(options.OutputFolder, model, network, result, data, clock.Elapsed);
        TrainReport.WriteFiles(console, options.OutputFolder, files);
        return result.StopReason is null ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The built-in data, or the CSV file the options name; a data error becomes a usage error (exit 2).</summary>
    internal static TabularData LoadData(TrainOptions options)
    {
        if (options.DataPath is null)
        {
            return BuiltInData.Shells(options.Seed);
        }
        try
        {
            return CsvDataLoader.Load(options.DataPath, options.Target, options.Task);
        }
        catch (DataFormatException ex)
        {
            throw new UsageException([ex.Message]);
        }
    }

    /// <summary>The stratified train/validation split the options ask for.</summary>
    internal static DataSplit Split(TabularData data, TrainOptions options)
    {
        try
        {
            return DataSplit.Create(data, options.ValidationFraction, options.Seed);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("--val-split", $"cannot split {data.RowCount} rows of '{data.Source}': {ex.Message}");
        }
    }

    /// <summary>Creates the output folder, or reports why it cannot be (exit 2) before any work is done.</summary>
    internal static void CreateOutputFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException("--out", $"cannot create folder '{folder}': {ex.Message}");
        }
    }

    private static IGradientTransform Clipping(TrainOptions options, MlpSpec spec) => options.Clip switch
    {
        ClipMode.Norm => new ClipByGlobalNorm(options.MaxNorm, options.NormType),
        ClipMode.Value => new ClipByValue(options.ClipValue),
        ClipMode.AutoClip => new AutoClip(options.Percentile),
        ClipMode.ZClip => new ZClip(zThreshold: options.ZThreshold),
        // Brock et al. leave the final classifier layer unclipped; in the network it is the last Linear of the Sequential.
        ClipMode.Agc => new Agc(options.AgcClipping, exclude: name => name.StartsWith(spec.OutputLayerName + ".", StringComparison.Ordinal)),
        _ => new NoClip(),
    };

    private static Optimizer Optimizer(TrainOptions options, Module network) => options.Optimizer switch
    {
        OptimizerKind.Sgd => new Sgd(network.Parameters(), options.LearningRate, momentum: 0.9),
        OptimizerKind.AdamW => new AdamW(network.Parameters(), options.LearningRate),
        _ => new Adam(network.Parameters(), options.LearningRate),
    };

    private static TrainingResult WithProgress(IAnsiConsole console, int epochs, Func<Action<EpochSummary>?, TrainingResult> train)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return train(null);
        }
        TrainingResult? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("Training", maxValue: epochs);
                result = train(summary =>
                {
                    task.Increment(1);
                    task.Description = $"Epoch {summary.Epoch}/{epochs}";
                });
                task.Value = epochs;
            });
        return result!;
    }
}
