using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using GradClip.Adaptive;
using GradClip.Cli.Common;
using GradClip.Cli.Tasks;
using GradClip.Cli.Report;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary>One <c>gradclip train</c> run: data in, standardize, train with clipping, show the table and verdicts, write the files.</summary>
public static class TrainRun
{
    /// <summary>The name of the checkpoint folder inside a run's output folder.</summary>
    public const string CheckpointFolderName = "checkpoint";

    /// <summary>Runs the pipeline with <paramref name="options"/>, continuing from <paramref name="resumeFrom"/> when given, and returns the exit code.</summary>
    public static int Execute(TrainOptions options, IAnsiConsole console, TrainingCheckpoint? resumeFrom = null)
    {
        using var stop = new StopSignals();
        var data = LoadData(options);
        var split = Split(data, options);
        var standardizer = Standardizer(options, data, split);
        var spec = Model(options, data);
        RequireTrainableSize(spec);
        CreateOutputFolder(options.OutputFolder);
        var network = spec.Build(options.Seed);
        var clipping = Clipping(options, spec);
        TrainReport.WriteSetup(console, options, data, split, standardizer, spec, clipping);
        var trainer = Trainer(options, network, clipping);
        var clock = Stopwatch.StartNew();
        TrainingCheckpoint? last = null;
        TrainingResult result;
        try
        {
            result = WithProgress(console, options.Epochs, onEpoch => trainer.Fit(data, split, standardizer, onEpoch, resumeFrom,
                checkpoint => last = SaveCheckpoint(options, checkpoint), stop.Token));
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            // Fit hands over a checkpoint before it throws, so last is the position the run stopped at.
            WriteInterrupted(console, options.OutputFolder, last!, stop.Received);
            return ExitCodes.Interrupted;
        }
        catch (ArgumentException ex) when (ex.ParamName == "resumeFrom")
        {
            throw new UsageException("--resume", ex.Message);
        }
        clock.Stop();
        var findings = RunJudge.Judge(options, result, data, split);
        TrainReport.WriteResult(console, result, findings, data);
        var files = WriteFiles(options, spec, standardizer, network, result, findings, data, clock.Elapsed);
        TrainReport.WriteFiles(console, options.OutputFolder, files);
        return result.StopReason is null ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Writes the run's model, metrics, summary and report into its output folder; returns the file names written.</summary>
    internal static IReadOnlyList<string> WriteFiles(
        TrainOptions options, ModelSpec spec, Standardizer? standardizer, Module network, TrainingResult result, IReadOnlyList<HealthFinding> findings,
        TabularData data, TimeSpan elapsed)
    {
        return [.. WriteRunFiles(options, spec, standardizer, network, result, findings, data, elapsed), .. RunReport.Write(options.OutputFolder, options.Plots)];
    }

    /// <summary>Writes the run's model, metrics and summary (not its report) into its output folder; returns the file names written.</summary>
    internal static IReadOnlyList<string> WriteRunFiles(
        TrainOptions options, ModelSpec spec, Standardizer? standardizer, Module network, TrainingResult result, IReadOnlyList<HealthFinding> findings,
        TabularData data, TimeSpan elapsed) =>
        RunFiles.Write(options.OutputFolder, new SavedModel(spec, data.Task, data.FeatureNames, data.TargetName, data.ClassNames, standardizer, options.Describe()),
            network, result, findings, data, elapsed);

    /// <summary>The statistics the options standardize with, fitted on the training rows, or null when they train on raw features.</summary>
    internal static Standardizer? Standardizer(TrainOptions options, TabularData data, DataSplit split) =>
        options.Standardize ? Data.Standardizer.Fit(data, split.TrainRows.AsSpan()) : null;

    /// <summary>A trainer of <paramref name="network"/> with the optimizer, epochs, batches and seed of the options.</summary>
    internal static Trainer Trainer(TrainOptions options, Module<Tensor, Tensor> network, IGradientTransform clipping) =>
        new(network, Optimizer(options, network), clipping,
            new TrainerOptions(options.Epochs, options.BatchSize, options.Seed, options.OnNonFinite, options.CheckpointEvery));

    /// <summary>The most weights a network may have: 100 million (400 MB of float32, before gradients and optimizer state).</summary>
    public const long MaxParameters = 100_000_000;

    /// <summary>Refuses, before any work, a network too large to train here (exit 2 naming --hidden).</summary>
    internal static void RequireTrainableSize(ModelSpec spec)
    {
        if (spec.ParameterCount > MaxParameters)
        {
            throw new UsageException("--hidden",
                $"the network {spec.Describe()} would have {spec.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} weights; " +
                $"at most {MaxParameters.ToString("N0", CultureInfo.InvariantCulture)} are supported.");
        }
    }

    /// <summary>The checkpoint folder of the run whose output folder is <paramref name="outputFolder"/>.</summary>
    public static string CheckpointFolderOf(string outputFolder) => Path.Combine(outputFolder, CheckpointFolderName);

    /// <summary>Writes the checkpoint with the run's options, and the metrics so far beside it in the output folder.</summary>
    private static TrainingCheckpoint SaveCheckpoint(TrainOptions options, TrainingCheckpoint checkpoint)
    {
        CheckpointFolder.Save(CheckpointFolderOf(options.OutputFolder), checkpoint, CheckpointOptions.Describe(options));
        MetricsFiles.Write(options.OutputFolder, checkpoint.Epochs, checkpoint.Steps);
        return checkpoint;
    }

    /// <summary>Says where the interrupted run stopped, where its checkpoint and metrics are, and how to continue it.</summary>
    private static void WriteInterrupted(IAnsiConsole console, string folder, TrainingCheckpoint checkpoint, PosixSignal? signal)
    {
        string where = checkpoint.EpochStep > 0
            ? $"after step {checkpoint.Steps.Count} ({checkpoint.EpochStep} steps into epoch {checkpoint.Epoch + 1})"
            : $"after epoch {checkpoint.Epoch} (step {checkpoint.Steps.Count})";
        console.MarkupLine($"[yellow]Interrupted by {signal}[/] {Markup.Escape(where)}.");
        console.MarkupLine($"Checkpoint in [bold]{Markup.Escape(CheckpointFolderOf(folder))}[/]; metrics so far in [bold]{Markup.Escape(folder)}[/]: {MetricsFiles.EpochsCsvFile}, {MetricsFiles.EpochsFile}, {MetricsFiles.StepsFile}.");
        string argument = folder.Any(char.IsWhiteSpace) ? $"\"{folder}\"" : folder;
        console.MarkupLine(Markup.Escape($"Continue with: gradclip train --resume {argument}"));
    }

    /// <summary>The built-in data, or the CSV file the options name; a data error becomes a usage error (exit 2).</summary>
    internal static TabularData LoadData(TrainOptions options)
    {
        if (options.DataPath is null)
        {
            return (options.BuiltIn ?? BuiltInTasks.Blobs).Data(options.Seed);
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

    /// <summary>The model the options ask for: the built-in task's, or a feed-forward network for the data.</summary>
    internal static ModelSpec Model(TrainOptions options, TabularData data) => options.BuiltIn is { } task
        ? task.Model(data, options.Hidden)
        : new MlpSpec(data.FeatureCount, options.Hidden, data.Task == TaskKind.Classification ? data.ClassCount : 1);

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

    /// <summary>The clipping the options ask for, built for the model <paramref name="spec"/> describes.</summary>
    internal static IGradientTransform Clipping(TrainOptions options, ModelSpec spec) => options.Clip switch
    {
        ClipMode.Norm => new ClipByGlobalNorm(options.MaxNorm, options.NormType),
        ClipMode.Value => new ClipByValue(options.ClipValue),
        ClipMode.AutoClip => new AutoClip(options.Percentile),
        ClipMode.ZClip => new ZClip(zThreshold: options.ZThreshold),
        // Brock et al. leave the final classifier layer unclipped: the model's output layer.
        ClipMode.Agc => new Agc(options.AgcClipping, exclude: name => name.StartsWith(spec.OutputLayerName + ".", StringComparison.Ordinal)),
        _ => new NoClip(),
    };

    /// <summary>The optimizer the options ask for, over the network's parameters.</summary>
    internal static Optimizer Optimizer(TrainOptions options, Module network) => options.Optimizer switch
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
