using System.CommandLine;
using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Tasks;
using GradClip.Data;
using GradClip.Metrics;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>
/// The options that <c>train</c>, <c>compare</c> and <c>recommend</c> share — the data, the model and the optimizer —
/// declared and parsed here once, so that the same command line sets up the same training in each.
/// </summary>
public sealed class SetupOptions
{
    /// <summary>The CSV file to train on.</summary>
    public Option<string?> Data { get; } = new("--data") { Description = "CSV file with a header row. Without it: built-in data, 1000 rows × 10 features, 3 classes." };

    /// <summary>The target column.</summary>
    public Option<string?> Target { get; } = new("--target") { Description = "The target column's name (default: the last column)." };

    /// <summary>The task: classification or regression of the CSV file, or a built-in task.</summary>
    public Option<string?> Task { get; } = Choice<string?>("--task",
        "With --data: classification or regression (default: detected from the target). Without: a built-in task, which brings its "
        + "own model, epochs, learning rate and optimizer (options given override them): "
        + string.Join("; ", BuiltInTasks.All.Select(t => $"{t.Name}: {t.Description}")) + ".",
        null, ["classification", "regression", .. BuiltInTasks.All.Select(t => t.Name)]);

    /// <summary>The hidden layers' widths.</summary>
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer widths, comma-separated (a built-in --task brings its own).", DefaultValueFactory = _ => "64,32" };

    /// <summary>The number of epochs.</summary>
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training rows (a built-in --task brings its own).", DefaultValueFactory = _ => 20 };

    /// <summary>The rows per step.</summary>
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Rows per optimizer step (a built-in --task may bring its own).", DefaultValueFactory = _ => TrainOptions.DefaultBatchSize };

    /// <summary>The learning rate.</summary>
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate (a built-in --task brings its own).", DefaultValueFactory = _ => 0.003 };

    /// <summary>The optimizer.</summary>
    public Option<string> Optimizer { get; } = Choice<string>("--optimizer", "sgd (momentum 0.9), adam or adamw (a built-in --task brings its own).", "adam", "sgd", "adam", "adamw");

    /// <summary>The fraction of rows held out for validation.</summary>
    public Option<double> ValidationSplit { get; } = new("--val-split") { Description = "Fraction of rows held out for validation (stratified by class for classification).", DefaultValueFactory = _ => DataSplit.DefaultValidationFraction };

    /// <summary>The seed of every random draw.</summary>
    public Option<int> Seed { get; } = new("--seed") { Description = "Seeds the data, the split, the initialization and the batch order.", DefaultValueFactory = _ => 0 };

    /// <summary>Whether to train on the raw features.</summary>
    public Option<bool> NoStandardize { get; } = new("--no-standardize") { Description = "Train on the raw features (and regression target) instead of standardizing them." };

    /// <summary>The learning-rate schedule.</summary>
    public Option<string> Schedule { get; } = Choice<string>("--lr-schedule",
        "constant; cosine (down to 0 over the run); step (×0.1 after each third of the epochs); warmup-cosine (linear warm-up over --warmup epochs, then cosine). Advanced every step.",
        "constant", "constant", "cosine", "step", "warmup-cosine");

    /// <summary>The warm-up epochs of warmup-cosine.</summary>
    public Option<int> Warmup { get; } = new("--warmup") { Description = "Epochs of linear warm-up, with --lr-schedule warmup-cosine.", DefaultValueFactory = _ => 1 };

    /// <summary>The weight decay.</summary>
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Weight decay: an L2 penalty for sgd and adam, decoupled for adamw (default: 0; adamw 0.01)." };

    /// <summary>SGD's momentum.</summary>
    public Option<double> Momentum { get; } = new("--momentum") { Description = "Momentum, with --optimizer sgd.", DefaultValueFactory = _ => TrainOptions.DefaultMomentum };

    /// <summary>The dropout probability after each hidden layer.</summary>
    public Option<double> Dropout { get; } = new("--dropout") { Description = "Probability of dropping a hidden unit while training, after each hidden layer of a feed-forward model.", DefaultValueFactory = _ => 0 };

    /// <summary>The validation figure that picks the kept epoch and that early stopping watches.</summary>
    public Option<string> Monitor { get; } = Choice<string>("--monitor",
        "The validation figure whose best epoch's weights are kept, and which --patience watches: val_loss or one of the task's metrics"
        + $" ({string.Join("; ", TaskMetrics.All.Select(set => $"{set.Task}: {string.Join(", ", set.Metrics.Select(m => m.Name))}"))}).",
        EpochMetric.ValidationLoss.Name, [EpochMetric.ValidationLoss.Name, .. TaskMetrics.All.SelectMany(set => set.Metrics).Select(m => m.Name).Distinct()]);

    /// <summary>The early-stopping patience.</summary>
    public Option<int?> Patience { get; } = new("--patience") { Description = "Stop once the --monitor figure has not improved for N epochs; the model keeps the best epoch's weights." };

    /// <summary>How to read the data file: delimiter, decimal separator, header, encoding, ignored columns, missing values.</summary>
    public CsvFormatOptions Csv { get; } = new();

    /// <summary>Every shared option, in the order <c>--help</c> lists them.</summary>
    public IEnumerable<Option> All =>
        [Data, Target, Task, .. Csv.All, Hidden, Epochs, BatchSize, LearningRate, Optimizer, Schedule, Warmup, WeightDecay, Momentum, Dropout, Monitor, Patience, ValidationSplit, Seed, NoStandardize];

    /// <summary>Adds every shared option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The run the shared options set up, writing into <paramref name="outputFolder"/>, with clipping off and every clipping
    /// setting at its default (a command sets its own); the problems of parsing them are added to <paramref name="problems"/>.
    /// </summary>
    public TrainOptions Read(ParseResult result, string outputFolder, List<string> problems)
    {
        string? task = result.GetValue(Task);
        var builtIn = task is null ? (result.GetValue(Data) is null ? BuiltInTasks.Blobs : null) : BuiltInTasks.Find(task);
        var optimizer = Given(result, Optimizer) || builtIn is null ? Enum.Parse<OptimizerKind>(result.GetValue(Optimizer)!, ignoreCase: true) : builtIn.Optimizer;
        var options = new TrainOptions(
            result.GetValue(Data),
            result.GetValue(Target),
            builtIn is null && task is not null ? Enum.Parse<TaskKind>(task, ignoreCase: true) : null,
            Given(result, Hidden) || builtIn is null ? Guarded(problems, () => Widths(result.GetValue(Hidden)!), []) : builtIn.Hidden,
            Given(result, Epochs) || builtIn is null ? result.GetValue(Epochs) : builtIn.Epochs,
            Given(result, BatchSize) || builtIn is null ? result.GetValue(BatchSize) : builtIn.BatchSize,
            Given(result, LearningRate) || builtIn is null ? result.GetValue(LearningRate) : builtIn.LearningRate,
            optimizer,
            ClipMode.None,
            TrainOptions.DefaultMaxNorm,
            NormType: 2,
            TrainOptions.DefaultClipValue,
            TrainOptions.DefaultPercentile,
            TrainOptions.DefaultZThreshold,
            TrainOptions.DefaultAgcClipping,
            NonFiniteAction.Skip,
            result.GetValue(ValidationSplit),
            result.GetValue(Seed),
            outputFolder,
            !result.GetValue(NoStandardize) && (builtIn?.Standardize ?? true),
            BuiltIn: builtIn,
            Csv: Csv.Read(result, problems));
        return options with
        {
            Schedule = Enum.Parse<LrSchedule>(result.GetValue(Schedule)!.Replace("-", "", StringComparison.Ordinal), ignoreCase: true),
            Warmup = result.GetValue(Warmup),
            WeightDecay = Given(result, WeightDecay) ? result.GetValue(WeightDecay) : TrainOptions.DefaultWeightDecay(optimizer),
            Momentum = result.GetValue(Momentum),
            Dropout = result.GetValue(Dropout),
            // An agent's epochs have no validation rows: its kept epoch is the one with the best return.
            Monitor = Given(result, Monitor) || builtIn?.Agent is null ? result.GetValue(Monitor)! : EpochMetric.MeanReturn.Name,
            Patience = result.GetValue(Patience),
        };
    }

    /// <summary>The options that cannot go together: a task kind without a file, or a built-in task, which brings its own data and target, with one.</summary>
    public IEnumerable<string> Conflicts(ParseResult result, TrainOptions options)
    {
        if (options.Task is { } kind && !Given(result, Data))
        {
            yield return $"--task {kind.ToString().ToLowerInvariant()}: needs --data; built-in tasks: {string.Join(", ", BuiltInTasks.All.Select(t => t.Name))}.";
        }
        if (Given(result, Momentum) && options.Optimizer != OptimizerKind.Sgd)
        {
            yield return $"--momentum: applies to --optimizer sgd, but the optimizer is {options.Optimizer.ToString().ToLowerInvariant()}.";
        }
        if (Given(result, Warmup) && options.Schedule != LrSchedule.WarmupCosine)
        {
            yield return "--warmup: applies to --lr-schedule warmup-cosine.";
        }
        if (options.BuiltIn is not { } task || !Given(result, Task))
        {
            yield break;
        }
        if (task.Agent is not null)
        {
            foreach (var option in ((Option[])[BatchSize, ValidationSplit, NoStandardize, Dropout, Patience]).Where(o => Given(result, o)))
            {
                yield return $"--task {task.Name}: plays an environment, an epoch being {task.Agent.EpisodesPerEpoch} episodes, so {option.Name}, which is about data rows, does not apply.";
            }
            if (options.Monitor != EpochMetric.MeanReturn.Name)
            {
                yield return $"--monitor: --task {task.Name} keeps the epoch with the best {EpochMetric.MeanReturn.Name}; {options.Monitor} is not one of its figures.";
            }
        }
        foreach (var option in ((Option[])[Data, Target, .. Csv.All]).Where(o => Given(result, o)))
        {
            yield return $"--task {task.Name}: a built-in task brings its own data, so {option.Name} cannot go with it (use --task classification or regression with --data).";
        }
    }

    /// <summary>Whether <paramref name="option"/> was given on the command line (not left at its default).</summary>
    public static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>The value <paramref name="parse"/> gives, or <paramref name="fallback"/> with its usage problems added to <paramref name="problems"/>.</summary>
    public static T Guarded<T>(List<string> problems, Func<T> parse, T fallback)
    {
        try
        {
            return parse();
        }
        catch (UsageException ex)
        {
            problems.AddRange(ex.Problems);
            return fallback;
        }
    }

    /// <summary>An option that accepts only <paramref name="choices"/>, <paramref name="defaultValue"/> when not given.</summary>
    public static Option<T> Choice<T>(string name, string description, T defaultValue, params IEnumerable<string> choices)
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong([.. choices]);
        return option;
    }

    private static int[] Widths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1 || widths[i] > TrainOptionsCheck.MaxWidth)
            {
                throw new UsageException("--hidden", $"'{parts[i]}' in '{text}' is not a layer width between 1 and {TrainOptionsCheck.MaxWidth}.");
            }
        }
        return widths;
    }
}
