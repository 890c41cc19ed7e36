using System.Globalization;
using GradClip.Cli.Tasks;
using GradClip.Data;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>The validated settings of one <c>gradclip train</c> run.</summary>
/// <param name="DataPath">The CSV file, or null for the built-in data.</param>
/// <param name="Target">The target column's name, or null for the last column.</param>
/// <param name="Task">The task when given, else detected from the target.</param>
/// <param name="Hidden">The hidden layers' widths.</param>
/// <param name="Epochs">Passes over the training rows.</param>
/// <param name="BatchSize">Rows per step.</param>
/// <param name="LearningRate">The optimizer's learning rate.</param>
/// <param name="Optimizer">Which optimizer.</param>
/// <param name="Clip">How to clip.</param>
/// <param name="MaxNorm">The norm threshold, for clipping by norm.</param>
/// <param name="NormType">The norm order, for clipping by norm.</param>
/// <param name="ClipValue">The element bound, for clipping by value.</param>
/// <param name="Percentile">The percentile of past norms, for AutoClip.</param>
/// <param name="ZThreshold">The z-score above which a norm is a spike, for ZClip.</param>
/// <param name="AgcClipping">The largest gradient-to-weight norm ratio λ, for AGC.</param>
/// <param name="OnNonFinite">What to do with a non-finite step.</param>
/// <param name="ValidationFraction">The fraction of rows held out for validation.</param>
/// <param name="Seed">Seeds the split, the initialization and the batch order.</param>
/// <param name="OutputFolder">Where the run's files go.</param>
/// <param name="Standardize">Whether features are standardized (fitted on the training rows).</param>
/// <param name="CheckpointEvery">Every how many epochs a checkpoint is written, or null for one only when the run is interrupted.</param>
/// <param name="ResumeFolder">The output folder of an earlier run to continue from its checkpoint, or null to start afresh.</param>
/// <param name="Plots">Whether the report gets plot images (PNG and SVG) besides its table and verdicts.</param>
/// <param name="BuiltIn">The built-in task whose data and model the run uses, or null when it trains on <paramref name="DataPath"/>.</param>
/// <param name="Schedule">How the learning rate changes over the run.</param>
/// <param name="Warmup">The warm-up epochs, for <see cref="LrSchedule.WarmupCosine"/>.</param>
/// <param name="WeightDecay">The optimizer's weight decay.</param>
/// <param name="Momentum">SGD's momentum.</param>
/// <param name="Dropout">The drop probability after each hidden layer of a feed-forward model.</param>
/// <param name="Monitor">The validation figure that picks the kept epoch and that early stopping watches.</param>
/// <param name="Patience">Stop after this many epochs without improvement of <paramref name="Monitor"/>, or null to train every epoch.</param>
/// <param name="Overwrite">Whether an earlier run in <paramref name="OutputFolder"/> is replaced (else such a folder is refused).</param>
/// <param name="MicroShards">Data-parallel training: the micro-shards each batch is cut into, or null to train in one process as usual.</param>
/// <param name="Ranks">How many ranks train the run (data-parallel when more than 1).</param>
/// <param name="Distributed">Whether this process is one rank of a job started by <c>mpirun</c>.</param>
/// <param name="Csv">How to read <paramref name="DataPath"/>: delimiter, decimal separator, header, encoding, ignored columns, missing values.</param>
public sealed record TrainOptions(
    string? DataPath,
    string? Target,
    TaskKind? Task,
    IReadOnlyList<int> Hidden,
    int Epochs,
    int BatchSize,
    double LearningRate,
    OptimizerKind Optimizer,
    ClipMode Clip,
    double MaxNorm,
    double NormType,
    double ClipValue,
    double Percentile,
    double ZThreshold,
    double AgcClipping,
    NonFiniteAction OnNonFinite,
    double ValidationFraction,
    int Seed,
    string OutputFolder,
    bool Standardize,
    int? CheckpointEvery = null,
    string? ResumeFolder = null,
    bool Plots = true,
    BuiltInTask? BuiltIn = null,
    LrSchedule Schedule = LrSchedule.Constant,
    int Warmup = 1,
    double WeightDecay = 0,
    double Momentum = TrainOptions.DefaultMomentum,
    double Dropout = 0,
    string Monitor = "val_loss",
    int? Patience = null,

    CsvOptions? Csv = null,
    bool Overwrite = false,
    int? MicroShards = null,
    int Ranks = 1,
    bool Distributed = false)
{
    /// <summary>The options and their values as recorded with the model and in the summary (an agent's without those about data rows).</summary>
    public Dictionary<string, string> Describe() =>
        new(Setup().Concat(CsvFormat()).Concat(Training()).Where(o => BuiltIn?.Agent is null || !DataRowOptions.Contains(o.Key)));

    /// <summary>The options that set up training on data rows, which a task that plays an environment does not have.</summary>
    private static readonly string[] DataRowOptions = ["target", "batch_size", "val_split", "standardize", "dropout"];

    /// <summary>The data, model, optimizer and clipping options (only the settings of the clip mode used), by their report names.</summary>
    private IEnumerable<KeyValuePair<string, string>> Setup() => new Dictionary<string, string>
    {
        ["data"] = DataPath ?? BuiltInData.Source,
        ["task"] = BuiltIn?.Name ?? Task?.ToString().ToLowerInvariant() ?? "(detected)",
        ["target"] = Target ?? "(last column)",
        ["hidden"] = string.Join(",", Hidden),
        ["epochs"] = Text(Epochs),
        ["batch_size"] = Text(BatchSize),
        ["lr"] = Text(LearningRate),
        ["optimizer"] = Optimizer.ToString().ToLowerInvariant(),
        ["clip"] = Clip.ToString().ToLowerInvariant(),
    }.Concat(ClipSettings()).Concat(new Dictionary<string, string>
    {
        ["nonfinite"] = OnNonFinite.ToString().ToLowerInvariant(),
        ["val_split"] = Text(ValidationFraction),
        ["seed"] = Text(Seed),
        ["standardize"] = Standardize ? "true" : "false",
    });

    /// <summary>The settings of the clip mode used, by their report names: none for --clip none.</summary>
    private KeyValuePair<string, string>[] ClipSettings() => Clip switch
    {
        ClipMode.Norm => [new("max_norm", Text(MaxNorm)), new("norm_type", double.IsPositiveInfinity(NormType) ? "inf" : Text(NormType))],
        ClipMode.Value => [new("clip_value", Text(ClipValue))],
        ClipMode.AutoClip => [new("percentile", Text(Percentile))],
        ClipMode.ZClip => [new("z_threshold", Text(ZThreshold))],
        ClipMode.Agc => [new("agc_clipping", Text(AgcClipping))],
        _ => [],
    };

    /// <summary>The CSV options that differ from their defaults (none for a file read with the defaults), by their report names.</summary>
    private IEnumerable<KeyValuePair<string, string>> CsvFormat() =>
        CsvFormatOptions.Typed(Csv ?? CsvOptions.Default).Select(o => new KeyValuePair<string, string>(o.Key.Replace('-', '_'), o.Value));

    /// <summary>The schedule, regularization and early-stopping settings that apply to this run, by their report names.</summary>
    private IEnumerable<KeyValuePair<string, string>> Training()
    {
        yield return new("lr_schedule", ScheduleName);
        if (Schedule == LrSchedule.WarmupCosine)
        {
            yield return new("warmup", Text(Warmup));
        }
        yield return new("weight_decay", Text(WeightDecay));
        if (Optimizer == OptimizerKind.Sgd)
        {
            yield return new("momentum", Text(Momentum));
        }
        yield return new("dropout", Text(Dropout));
        yield return new("monitor", Monitor);
        if (Patience is { } patience)
        {
            yield return new("patience", Text(patience));
        }
        if (MicroShards is { } shards)
        {
            yield return new("micro_shards", Text(shards));
            yield return new("ranks", Text(Ranks));
        }
    }

    /// <summary>The schedule as <c>--lr-schedule</c> names it.</summary>
    public string ScheduleName => Schedule == LrSchedule.WarmupCosine ? "warmup-cosine" : Schedule.ToString().ToLowerInvariant();

    /// <summary>SGD's momentum when none is given.</summary>
    public const double DefaultMomentum = 0.9;

    /// <summary>The weight decay when none is given: PyTorch's default of <paramref name="optimizer"/> (0.01 for AdamW, else 0).</summary>
    public static double DefaultWeightDecay(OptimizerKind optimizer) => optimizer == OptimizerKind.AdamW ? 0.01 : 0;

    /// <summary>The micro-shards per batch of data-parallel training when none are given.</summary>
    public const int DefaultMicroShards = 8;

    /// <summary>The rows per step when none are given.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The global norm threshold when none is given.</summary>
    public const double DefaultMaxNorm = 1;

    /// <summary>The element bound for clipping by value when none is given.</summary>
    public const double DefaultClipValue = 0.5;

    /// <summary>AutoClip's percentile when none is given (Seetharaman et al.).</summary>
    public const double DefaultPercentile = 10;

    /// <summary>ZClip's z-score threshold when none is given.</summary>
    public const double DefaultZThreshold = 2.5;

    /// <summary>AGC's λ when none is given (Brock et al.).</summary>
    public const double DefaultAgcClipping = 0.01;

    /// <summary>The output folder when none is given: <c>runs/&lt;timestamp&gt;</c> with <paramref name="suffix"/> after it.</summary>
    public static string DefaultOutputFolder(string suffix = "") =>
        // Two runs can start in the same second: a few random hex digits keep their folders apart.
        Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6] + suffix);

    private static string Text(double value) => SavedModel.OptionText(value);
}
