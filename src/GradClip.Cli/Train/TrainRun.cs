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
using GradClip.Distributed;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Randomness;
using GradClip.Serialization;
using GradClip.Tensors;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary>One <c>gradclip train</c> run: data in, standardize, train with clipping, show the table and verdicts, write the files.</summary>
public static class TrainRun
{
    /// <summary>The name of the checkpoint folder inside a run's output folder.</summary>
    public const string CheckpointFolderName = "checkpoint";

    /// <summary>
    /// Runs the pipeline with <paramref name="options"/>, continuing from <paramref name="resumeFrom"/> when given, and
    /// returns the exit code; <paramref name="stop"/> turns Ctrl+C and SIGTERM into a checkpoint and exit 130. With a
    /// <paramref name="communicator"/>, this process is one rank of a data-parallel job: rank 0 writes the run's files, the
    /// others train the same replica and write nothing.
    /// </summary>
    internal static int Execute(TrainOptions options, IAnsiConsole console, SavedCheckpoint? resumeFrom, StopSignals stop, ICommunicator? communicator = null)
    {
        if (options.BuiltIn?.Agent is not null)
        {
            return Run(AgentRun.Plan(options, console), options, console, resumeFrom, stop, communicator: null);
        }
        var data = LoadData(options);
        var split = Split(data, options);
        (data, var imputer) = FillMissing(data, split);
        var standardizer = Standardizer(options, data, split);
        var target = TargetStandardizer(options, data, split);
        var spec = Model(options, data);
        RequireTrainableSize(spec);
        var trainedOn = TrainedOn(options, data);
        if (communicator is { Rank: > 0 })
        {
            RequireSameData(resumeFrom, trainedOn, options);
            return Follow(options, data, split, standardizer, spec, resumeFrom, stop, communicator);
        }
        var (network, generator) = Build(options, spec);
        var clipping = Clipping(options, spec);
        var trainer = Trainer(options, spec, network, generator, clipping, split, communicator: communicator);
        var plan = new RunPlan(
            trainedOn,
            () =>
            {
                TrainReport.WriteSetup(console, options, data, split, (standardizer, target), spec, clipping);
                if (options.MicroShards is { } shards)
                {
                    console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"Data-parallel on {options.Ranks} rank{(options.Ranks == 1 ? "" : "s")}, {shards} micro-shards per batch; rank 0 writes the files.")));
                }
            },
            (onEpoch, checkpoint, onCheckpoint, cancellation) => trainer.Fit(data, split, standardizer, onEpoch, checkpoint, onCheckpoint, cancellation, target),
            result => RunJudge.Judge(options, result, data, split, spec.Objective),
            data.Source,
            spec.Objective.Metrics(data.Task),
            (result, findings, elapsed) =>
            {
                var files = WriteRunFiles(options, spec, (standardizer, target), imputer, network, result, findings, data, elapsed, metrics: false);
                if (TextSample.Read(options.OutputFolder) is { } sample)
                {
                    TrainReport.WriteSample(console, sample);
                }
                return files;
            });
        return Run(plan, options, console, resumeFrom, stop, communicator);
    }

    /// <summary>
    /// The flow every run shares: the output folder prepared and locked, the setup, training with its logs and checkpoints
    /// (Ctrl+C writes one and exits 130), the table and verdicts, the run's files and report; returns the exit code.
    /// </summary>
    private static int Run(RunPlan plan, TrainOptions options, IAnsiConsole console, SavedCheckpoint? resumeFrom, StopSignals stop, ICommunicator? communicator)
    {
        RequireSameData(resumeFrom, plan.TrainedOn, options);
        // A rank of a job stops only where all ranks agree to, at a step: one that returned here would leave the others waiting.
        if (communicator is null && stop.Token.IsCancellationRequested)
        {
            console.MarkupLine(Markup.Escape(resumeFrom is null
                ? $"Interrupted by {stop.Received} while loading: nothing was trained, and no output folder was written."
                : $"Interrupted by {stop.Received} while loading: nothing more was trained, and the checkpoint in '{options.ResumeFolder}' is as it was."));
            return ExitCodes.Interrupted;
        }
        CreateOutputFolder(options.OutputFolder);
        using var folderLock = LockOutputFolder(options.OutputFolder, console);
        // A run resumed in its own folder keeps it: that folder holds the checkpoint it continues from.
        if (options.ResumeFolder is null || Path.GetFullPath(options.ResumeFolder) != Path.GetFullPath(options.OutputFolder))
        {
            RunFolder.Prepare(options.OutputFolder, options.Overwrite);
        }
        CheckpointFolder.RemoveLeftovers(CheckpointFolderOf(options.OutputFolder));
        plan.WriteSetup();
        if (resumeFrom is not null)
        {
            console.MarkupLine(Markup.Escape($"Resuming from the checkpoint after step {resumeFrom.Checkpoint.Steps.Count} (epoch {resumeFrom.Checkpoint.Epoch}) in '{options.ResumeFolder}'."));
        }
        var (log, writer) = OpenLogs(options, resumeFrom);
        using var _ = log;
        var clock = Stopwatch.StartNew();
        TrainingCheckpoint? last = null;
        TrainingResult result;
        try
        {
            result = WithProgress(console, options.Epochs, onEpoch => plan.Fit(onEpoch, resumeFrom?.Checkpoint,
                checkpoint => last = SaveCheckpoint(options, plan.TrainedOn, log, writer, checkpoint), stop.Token));
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested || communicator is not null)
        {
            // Fit hands over a checkpoint before it throws, so last is the position the run stopped at.
            WriteInterrupted(console, options.OutputFolder, last!, StopSignals.Name(stop.Received));
            return ExitCodes.Interrupted;
        }
        catch (ArgumentException ex) when (ex.ParamName == "resumeFrom")
        {
            throw new UsageException("--resume", ex.Message);
        }
        clock.Stop();
        var findings = plan.Judge(result);
        TrainReport.WriteResult(console, result, findings, plan.Source, plan.Metrics, options.Monitor);
        log.Append(result.Epochs, result.Steps);
        log.Sync();
        var files = plan.WriteRunFiles(result, findings, clock.Elapsed);
        var run = RunRecords.Read(options.OutputFolder, holdsLock: true, [.. result.Steps.Select(StepRow.Of)]);
        TrainReport.WriteFiles(console, options.OutputFolder, [.. files, .. RunReport.Write(options.OutputFolder, run, options.Plots)]);
        if (stop.Received is { } signal)
        {
            console.MarkupLine(Markup.Escape($"Interrupted by {signal} while writing the run's files; they were completed first."));
            return ExitCodes.Interrupted;
        }
        return result.StopReason is null && result.BestEpoch > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>
    /// Takes the one-writer lock of <paramref name="folder"/> (exit 2 naming the live run that holds it), says so when it
    /// takes over the lock of a killed run, and removes the temporary files an interrupted write left there.
    /// </summary>
    internal static RunFolderLock LockOutputFolder(string folder, IAnsiConsole console)
    {
        RunFolderLock folderLock;
        try
        {
            folderLock = RunFolderLock.Acquire(folder);
        }
        catch (RunFolderLockedException ex)
        {
            throw new UsageException("--out", ex.Message);
        }
        if (folderLock.TakenOverFrom is { } pid)
        {
            console.MarkupLine(Markup.Escape($"Took over the lock of '{folder}' from process {pid}, which is no longer running."));
        }
        AtomicFile.RemoveTemporaryFiles(folder);
        return folderLock;
    }

    /// <summary>
    /// The run's metrics logs and checkpoint writer: continued at the checkpoint's offsets when the run resumes in its own
    /// folder; started afresh otherwise, with a resumed run's earlier records written first.
    /// </summary>
    private static (MetricsLog Log, CheckpointWriter Writer) OpenLogs(TrainOptions options, SavedCheckpoint? resumeFrom)
    {
        try
        {
            return OpenLogsOrThrow(options, resumeFrom);
        }
        catch (Exception ex) when (ex is InvalidDataException or CheckpointFormatException)
        {
            throw new UsageException(resumeFrom is null ? "--out" : "--resume", ex.Message);
        }
    }

    private static (MetricsLog Log, CheckpointWriter Writer) OpenLogsOrThrow(TrainOptions options, SavedCheckpoint? resumeFrom)
    {
        string checkpoints = CheckpointFolderOf(options.OutputFolder);
        if (resumeFrom is null)
        {
            return (MetricsLog.Create(options.OutputFolder), CheckpointWriter.StartNew(checkpoints));
        }
        var checkpoint = resumeFrom.Checkpoint;
        if (Path.GetFullPath(options.ResumeFolder!) != Path.GetFullPath(options.OutputFolder))
        {
            var log = MetricsLog.Create(options.OutputFolder);
            log.Append(checkpoint.Epochs, checkpoint.Steps);
            return (log, CheckpointWriter.StartNew(checkpoints));
        }
        return (MetricsLog.Resume(options.OutputFolder, resumeFrom.Context.LogOffsets, checkpoint.Epochs.Count, checkpoint.Steps.Count),
            CheckpointWriter.Continue(checkpoints));
    }

    /// <summary>What the run is trained on, as its checkpoint records it: the data file's SHA-256, the target and the feature columns.</summary>
    internal static Dictionary<string, string> TrainedOn(TrainOptions options, TabularData data)
    {
        var trainedOn = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The full path, as the checkpoint's options record it, so that a run resumed from another folder agrees.
            ["data"] = options.DataPath is { } file ? Path.GetFullPath(file) : data.Source,
            ["rows"] = data.RowCount.ToString(CultureInfo.InvariantCulture),
            ["target"] = data.TargetName,
            ["columns"] = string.Join(",", data.FeatureNames),
        };
        if (options.DataPath is { } path)
        {
            trainedOn["data-sha256"] = FileHash(path);
        }
        return trainedOn;
    }

    /// <summary>Refuses (exit 2) to resume on data other than the checkpoint's, naming each difference; nothing to check for a new run.</summary>
    private static void RequireSameData(SavedCheckpoint? resumeFrom, IReadOnlyDictionary<string, string> now, TrainOptions options)
    {
        if (resumeFrom is null)
        {
            return;
        }
        var recorded = resumeFrom.Context.TrainedOn;
        string folder = options.ResumeFolder!;
        var problems = recorded.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(key => recorded.GetValueOrDefault(key) != now.GetValueOrDefault(key))
            .Select(key => $"--resume: the run in '{folder}' was trained on {key} '{recorded.GetValueOrDefault(key) ?? "(none)"}', but now {key} is '{now.GetValueOrDefault(key) ?? "(none)"}'.")
            .ToList();
        if (problems.Count > 0)
        {
            throw new UsageException([.. problems, "--resume: a resumed run must train on the same data as before; start a new run for other data."]);
        }
    }

    private static string FileHash(string path)
    {
        try
        {
            using var stream = RegularFile.OpenRead(path);
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException("--data", $"cannot read '{path}': {ex.Message}");
        }
    }

    /// <summary>
    /// Writes the run's model and summary (not its report) into its output folder, and its metrics unless
    /// <paramref name="metrics"/> is false (a training run appends them to its logs as it goes); returns the file names.
    /// </summary>
    internal static IReadOnlyList<string> WriteRunFiles(
        TrainOptions options, ModelSpec spec, (Standardizer? Features, Standardizer? Target) standardizers, MeanImputer? imputer, Module network, TrainingResult result,
        IReadOnlyList<HealthFinding> findings, TabularData data, TimeSpan elapsed, bool metrics)
    {
        var files = RunFiles.Write(options.OutputFolder,
            new SavedModel(spec, data.Task, data.FeatureNames, data.TargetName, data.ClassNames, standardizers.Features, options.Describe())
            {
                Imputer = imputer,
                TargetStandardizer = standardizers.Target,
            },
            network, result, findings, (data.Source, data.RowCount, spec.Objective.Metrics(data.Task).Task), elapsed, metrics);
        return network is TransformerLanguageModel language && result.BestEpoch > 0
            ? [.. files, TextSample.Of(language, data, Split(data, options), result.Best?.ValLoss, options.Seed).Write(options.OutputFolder)]
            : files;
    }

    /// <summary>The data with its missing values (NaN) filled with the training rows' means, and the imputer that did it; the data as it is when none is missing.</summary>
    internal static (TabularData Data, MeanImputer? Imputer) FillMissing(TabularData data, DataSplit split)
    {
        if (!MeanImputer.HasMissing(data))
        {
            return (data, null);
        }
        try
        {
            var imputer = MeanImputer.Fit(data, split.TrainRows.AsSpan());
            return (imputer.Transform(data), imputer);
        }
        catch (DataFormatException ex)
        {
            throw new UsageException("--missing mean", ex.Message);
        }
    }

    /// <summary>The statistics the options standardize with, fitted on the training rows, or null when they train on raw features.</summary>
    internal static Standardizer? Standardizer(TrainOptions options, TabularData data, DataSplit split) =>
        options.Standardize ? Data.Standardizer.Fit(data, split.TrainRows.AsSpan()) : null;

    /// <summary>
    /// The statistics a regression target is standardized with for training, fitted on the training rows (the model gives its
    /// predictions back in the target's units), or null for classification or with <c>--no-standardize</c>.
    /// </summary>
    internal static Standardizer? TargetStandardizer(TrainOptions options, TabularData data, DataSplit split) =>
        options.Standardize && data.Task == TaskKind.Regression ? Data.Standardizer.FitTarget(data, split.TrainRows.AsSpan()) : null;

    /// <summary>The network of <paramref name="spec"/>, initialized from the run's one generator (seeded with --seed), and that generator.</summary>
    internal static (Module<Tensor, Tensor> Network, Generator Generator) Build(TrainOptions options, ModelSpec spec)
    {
        var generator = new Generator(options.Seed);
        return (spec.Build(generator), generator);
    }

    /// <summary>
    /// A trainer of <paramref name="network"/> (built from <paramref name="spec"/> and <paramref name="generator"/>) with the
    /// optimizer, schedule, epochs, batches and early stopping of the options and the spec's objective, over the training rows
    /// of <paramref name="split"/>; it trains only the first <paramref name="epochs"/> when given (the schedule still spans the
    /// options' epochs).
    /// </summary>
    internal static Trainer Trainer(
        TrainOptions options, ModelSpec spec, Module<Tensor, Tensor> network, Generator generator, IGradientTransform clipping, DataSplit split, int? epochs = null,
        ICommunicator? communicator = null)
    {
        var optimizer = Optimizer(options, network);
        int stepsPerEpoch = (split.TrainRows.Length + options.BatchSize - 1) / options.BatchSize;
        return new(network, optimizer, clipping,
            new TrainerOptions(epochs ?? options.Epochs, options.BatchSize, options.Seed, options.OnNonFinite, options.CheckpointEvery, options.Monitor, options.Patience,
                options.MicroShards, spec.Objective),
            Schedule(options, optimizer, stepsPerEpoch), generator, communicator);
    }

    /// <summary>
    /// A rank other than 0 of a data-parallel job: trains the same replica as rank 0, step by step, and writes nothing;
    /// returns the exit code rank 0 returns for the same result.
    /// </summary>
    private static int Follow(
        TrainOptions options, TabularData data, DataSplit split, Standardizer? standardizer, ModelSpec spec, SavedCheckpoint? resumeFrom,
        StopSignals stop, ICommunicator communicator)
    {
        var (network, generator) = Build(options, spec);
        var trainer = Trainer(options, spec, network, generator, Clipping(options, spec), split, communicator: communicator);
        TrainingResult result;
        try
        {
            result = trainer.Fit(data, split, standardizer, resumeFrom: resumeFrom?.Checkpoint, cancellation: stop.Token);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
        return result.StopReason is null && result.BestEpoch > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The learning-rate schedule the options ask for, in optimizer steps, or null for a constant rate.</summary>
    internal static LearningRateScheduler? Schedule(TrainOptions options, Optimizer optimizer, int stepsPerEpoch)
    {
        int total = Math.Max(1, options.Epochs * stepsPerEpoch);
        return options.Schedule switch
        {
            LrSchedule.Cosine => new CosineAnnealingLr(optimizer, total),
            LrSchedule.Step => new StepLr(optimizer, Math.Max(1, (options.Epochs + 2) / 3 * stepsPerEpoch)),
            LrSchedule.WarmupCosine => new WarmupCosineLr(optimizer, 1.0 / (options.Warmup * stepsPerEpoch + 1), options.Warmup * stepsPerEpoch, total),
            _ => null,
        };
    }

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

    /// <summary>
    /// Appends the records since the last checkpoint to the metrics logs and flushes them to disk, then saves the checkpoint
    /// with the logs' offsets, the run's options and what it is trained on.
    /// </summary>
    private static TrainingCheckpoint SaveCheckpoint(
        TrainOptions options, IReadOnlyDictionary<string, string> trainedOn, MetricsLog log, CheckpointWriter writer, TrainingCheckpoint checkpoint)
    {
        log.Append(checkpoint.Epochs, checkpoint.Steps);
        writer.Save(checkpoint, new CheckpointContext(CheckpointOptions.Describe(options), trainedOn, log.Sync()));
        return checkpoint;
    }

    /// <summary>Says where the interrupted run stopped, where its checkpoint and metrics are, and how to continue it.</summary>
    private static void WriteInterrupted(IAnsiConsole console, string folder, TrainingCheckpoint checkpoint, string signal)
    {
        string where = checkpoint.EpochStep > 0
            ? $"after step {checkpoint.Steps.Count} ({checkpoint.EpochStep} steps into epoch {checkpoint.Epoch + 1})"
            : $"after epoch {checkpoint.Epoch} (step {checkpoint.Steps.Count})";
        console.MarkupLine($"[yellow]Interrupted by {signal}[/] {Markup.Escape(where)}.");
        console.MarkupLine($"Checkpoint in [bold]{Markup.Escape(CheckpointFolderOf(folder))}[/]; metrics so far in [bold]{Markup.Escape(folder)}[/]: {MetricsFiles.EpochsCsvFile}, {MetricsFiles.EpochsFile}, {MetricsFiles.StepsFile}.");
        console.MarkupLine(Markup.Escape($"Continue with: gradclip train --resume {ShellText.Quote(folder)}"));
    }

    /// <summary>The built-in data, or the CSV file the options name; a data error becomes a usage error (exit 2).</summary>
    internal static TabularData LoadData(TrainOptions options)
    {
        if (options.DataPath is null)
        {
            var task = options.BuiltIn ?? BuiltInTasks.Blobs;
            return task.Data is { } generate ? generate(options.Seed) : throw new UsageException("--task", $"{task.Name} plays an environment and has no data to load.");
        }
        try
        {
            return CsvDataLoader.Load(options.DataPath, options.Target, options.Task, options.Csv);
        }
        catch (DataFormatException ex)
        {
            throw new UsageException([ex.Message]);
        }
    }

    /// <summary>
    /// The model the options ask for: the built-in task's, or a feed-forward network for the data, with their dropout; refuses
    /// (exit 2) dropout for a recurrent model and a --monitor figure the task does not report.
    /// </summary>
    internal static ModelSpec Model(TrainOptions options, TabularData data)
    {
        var spec = options.BuiltIn is { } task
            ? task.Model(data, options.Hidden)
            : new MlpSpec(data.FeatureCount, options.Hidden, data.Task == TaskKind.Classification ? data.ClassCount : 1);
        var metrics = spec.Objective.Metrics(data.Task);
        if (!metrics.Monitorable.Any(m => m.Name == options.Monitor))
        {
            throw new UsageException("--monitor",
                $"{options.Monitor} is not reported by a {metrics.Task} task ('{data.Source}'); use one of {string.Join(", ", metrics.Monitorable.Select(m => m.Name))}.");
        }
        return options.Dropout == 0 ? spec
            : spec is MlpSpec mlp ? mlp with { Dropout = (float)options.Dropout }
            : throw new UsageException("--dropout", $"applies to feed-forward models; {spec.Describe()} is not one.");
    }

    /// <summary>The train/validation split the options ask for: stratified by class for classification, shuffled for regression.</summary>
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
        OptimizerKind.Sgd => new Sgd(network.Parameters(), options.LearningRate, momentum: options.Momentum, weightDecay: options.WeightDecay),
        OptimizerKind.AdamW => new AdamW(network.Parameters(), options.LearningRate, weightDecay: options.WeightDecay),
        _ => new Adam(network.Parameters(), options.LearningRate, weightDecay: options.WeightDecay),
    };

    /// <summary>
    /// Runs <paramref name="train"/>, printing one line as each epoch ends (on a terminal and in a log alike) and, on an
    /// interactive terminal only, a progress bar with the time remaining below them.
    /// </summary>
    private static TrainingResult WithProgress(IAnsiConsole console, int epochs, Func<Action<EpochSummary>?, TrainingResult> train)
    {
        var clock = Stopwatch.StartNew();
        void Print(EpochSummary summary)
        {
            console.WriteLine(EpochLine.Of(summary, epochs, clock.Elapsed));
            clock.Restart();
        }
        if (!console.Profile.Capabilities.Interactive)
        {
            return train(Print);
        }
        TrainingResult? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("Training", maxValue: epochs);
                result = train(summary =>
                {
                    Print(summary);
                    task.Increment(1);
                    task.Description = $"Epoch {summary.Epoch}/{epochs}";
                });
                task.Value = epochs;
            });
        return result!;
    }
}
