using System.CommandLine;
using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Tasks;
using GradClip.Data;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary><c>gradclip train</c>: the seed pipeline on a CSV file or the built-in data, with the before/after clipping table.</summary>
public static partial class TrainCommand
{
    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var o = new Options();
        var command = o.Command();
        command.SetAction(result =>
        {
            // Listening from the start, so that Ctrl+C while a checkpoint or the data is read still ends with a message and exit 130.
            using var stop = new StopSignals();
            var (options, resumeFrom) = o.Read(result);
            return TrainRun.Execute(options, console, resumeFrom, stop);
        });
        return command;
    }

    /// <summary>The command's options with their defaults, and their conversion into validated <see cref="TrainOptions"/>.</summary>
    private sealed partial class Options
    {
        public Option<string?> Data { get; } = new("--data") { Description = "CSV file with a header row. Without it: built-in data, 1000 rows × 10 features, 3 classes." };
        public Option<string?> Target { get; } = new("--target") { Description = "The target column's name (default: the last column)." };
        public Option<string?> Task { get; } = Choice<string?>("--task",
            "With --data: classification or regression (default: detected from the target). Without: a built-in task, which brings its "
            + "own model, epochs, learning rate and optimizer (options given override them): "
            + string.Join("; ", BuiltInTasks.All.Select(t => $"{t.Name}: {t.Description}")) + ".",
            null, ["classification", "regression", .. BuiltInTasks.All.Select(t => t.Name)]);
        public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer widths, comma-separated (a built-in --task brings its own).", DefaultValueFactory = _ => "64,32" };
        public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training rows (a built-in --task brings its own).", DefaultValueFactory = _ => 20 };
        public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Rows per optimizer step.", DefaultValueFactory = _ => TrainOptions.DefaultBatchSize };
        public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate (a built-in --task brings its own).", DefaultValueFactory = _ => 0.003 };
        public Option<string> Optimizer { get; } = Choice<string>("--optimizer", "sgd (momentum 0.9), adam or adamw (a built-in --task brings its own).", "adam", "sgd", "adam", "adamw");
        public Option<string> Clip { get; } = Choice<string>("--clip", "none, norm (clip_grad_norm_), value (clip_grad_value_), or adaptive: autoclip, zclip, agc.", "norm", "none", "norm", "value", "autoclip", "zclip", "agc");
        public Option<double> MaxNorm { get; } = new("--max-norm") { Description = "Largest global gradient norm, with --clip norm.", DefaultValueFactory = _ => TrainOptions.DefaultMaxNorm };
        public Option<string> NormType { get; } = new("--norm-type") { Description = "Norm order p > 0, or inf, with --clip norm.", DefaultValueFactory = _ => "2" };
        public Option<double> ClipValue { get; } = new("--clip-value") { Description = "Largest gradient element magnitude, with --clip value.", DefaultValueFactory = _ => TrainOptions.DefaultClipValue };
        public Option<double> Percentile { get; } = new("--percentile") { Description = "Percentile of past norms to clip to, with --clip autoclip.", DefaultValueFactory = _ => TrainOptions.DefaultPercentile };
        public Option<double> ZThreshold { get; } = new("--z-threshold") { Description = "z-score above which a norm is a spike, with --clip zclip.", DefaultValueFactory = _ => TrainOptions.DefaultZThreshold };
        public Option<double> AgcClipping { get; } = new("--agc-clipping") { Description = "Largest gradient-to-weight norm ratio λ, with --clip agc.", DefaultValueFactory = _ => TrainOptions.DefaultAgcClipping };
        public Option<string> NonFinite { get; } = Choice<string>("--nonfinite", "On NaN/∞ in a step: skip it, stop, or propagate (as plain PyTorch).", "skip", "skip", "stop", "propagate");
        public Option<double> ValidationSplit { get; } = new("--val-split") { Description = "Fraction of rows held out for validation (stratified).", DefaultValueFactory = _ => DataSplit.DefaultValidationFraction };
        public Option<int> Seed { get; } = new("--seed") { Description = "Seeds the split, the initialization and the batch order.", DefaultValueFactory = _ => 0 };
        public Option<string?> Output { get; } = new("--out") { Description = "Folder for the run's files (default: runs/<timestamp>)." };
        public Option<bool> NoStandardize { get; } = new("--no-standardize") { Description = "Train on the raw features instead of standardizing them." };
        public Option<int?> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Write a checkpoint into <out>/checkpoint every N epochs and after the last (Ctrl+C always writes one)." };
        public Option<bool> NoPlots { get; } = new("--no-plots") { Description = "Write no plot images: report.html then holds the table and the verdicts only." };
        public Option<string?> Resume { get; } = new("--resume") { Description = "Continue the run in this output folder from its checkpoint, with its options; only --epochs, --checkpoint-every, --out and --no-plots may change." };

        public IEnumerable<Option> All =>
        [
            Data, Target, Task, Hidden, Epochs, BatchSize, LearningRate, Optimizer, Clip, MaxNorm, NormType, ClipValue,
            Percentile, ZThreshold, AgcClipping, NonFinite, ValidationSplit, Seed, Output, NoStandardize, CheckpointEvery, Resume, NoPlots,
        ];

        /// <summary>The <c>train</c> command with these options.</summary>
        public Command Command()
        {
            var command = new Command("train", "Train a feed-forward network with gradient clipping and show, epoch by epoch, what clipping did.");
            foreach (var option in All)
            {
                command.Options.Add(option);
            }
            return command;
        }

        /// <summary>
        /// The validated options of the run, those of a resumed run's checkpoint included, with that checkpoint (null for a new
        /// run), or every problem with them (exit 2).
        /// </summary>
        public (TrainOptions Options, SavedCheckpoint? ResumeFrom) Read(ParseResult result)
        {
            var problems = new List<string>();
            var options = Settings(result, problems);
            SavedCheckpoint? resumeFrom = null;
            if (options.ResumeFolder is not { } resumeFolder)
            {
                problems.AddRange(Unused(result, options.Clip));
                problems.AddRange(Conflicts(result, options));
            }
            else if (problems.Count == 0)
            {
                (options, resumeFrom) = Resumed(result, options, resumeFolder, problems);
            }
            problems.AddRange(TrainOptionsCheck.Problems(options));
            return problems.Count == 0 ? (options, resumeFrom) : throw new UsageException(problems);
        }

        /// <summary>The options as parsed, with the problems of parsing them added to <paramref name="problems"/>.</summary>
        private TrainOptions Settings(ParseResult result, List<string> problems)
        {
            var clip = Enum.Parse<ClipMode>(result.GetValue(Clip)!, ignoreCase: true);
            string? task = result.GetValue(Task);
            var builtIn = task is null ? (result.GetValue(Data) is null ? BuiltInTasks.Blobs : null) : BuiltInTasks.Find(task);
            double normType = Guarded(problems, () => NumberText.ParseNormType(result.GetValue(NormType)!, "--norm-type"), 2);
            return new TrainOptions(
                result.GetValue(Data),
                result.GetValue(Target),
                builtIn is null && task is not null ? Enum.Parse<TaskKind>(task, ignoreCase: true) : null,
                Given(result, Hidden) || builtIn is null ? Guarded(problems, () => Widths(result.GetValue(Hidden)!), []) : builtIn.Hidden,
                Given(result, Epochs) || builtIn is null ? result.GetValue(Epochs) : builtIn.Epochs,
                result.GetValue(BatchSize),
                Given(result, LearningRate) || builtIn is null ? result.GetValue(LearningRate) : builtIn.LearningRate,
                Given(result, Optimizer) || builtIn is null ? Enum.Parse<OptimizerKind>(result.GetValue(Optimizer)!, ignoreCase: true) : builtIn.Optimizer,
                clip,
                result.GetValue(MaxNorm),
                normType,
                result.GetValue(ClipValue),
                result.GetValue(Percentile),
                result.GetValue(ZThreshold),
                result.GetValue(AgcClipping),
                Enum.Parse<NonFiniteAction>(result.GetValue(NonFinite)!, ignoreCase: true),
                result.GetValue(ValidationSplit),
                result.GetValue(Seed),
                result.GetValue(Output) ?? result.GetValue(Resume) ?? TrainOptions.DefaultOutputFolder(),
                !result.GetValue(NoStandardize) && (builtIn?.Standardize ?? true),
                result.GetValue(CheckpointEvery),
                result.GetValue(Resume),
                !result.GetValue(NoPlots),
                builtIn);
        }

        private IEnumerable<string> Unused(ParseResult result, ClipMode clip)
        {
            var owners = new (Option Option, ClipMode Mode)[]
            {
                (MaxNorm, ClipMode.Norm), (NormType, ClipMode.Norm), (ClipValue, ClipMode.Value),
                (Percentile, ClipMode.AutoClip), (ZThreshold, ClipMode.ZClip), (AgcClipping, ClipMode.Agc),
            };
            foreach (var (option, mode) in owners)
            {
                if (mode != clip && Given(result, option))
                {
                    yield return $"{option.Name}: applies to --clip {Name(mode)}, but --clip is {Name(clip)}.";
                }
            }
        }

        /// <summary>The options that cannot go with a built-in task, which brings its own data and target.</summary>
        private IEnumerable<string> Conflicts(ParseResult result, TrainOptions options)
        {
            if (options.Task is { } kind && !Given(result, Data))
            {
                yield return $"--task {Name(kind)}: needs --data; built-in tasks: {string.Join(", ", BuiltInTasks.All.Select(t => t.Name))}.";
            }
            if (options.BuiltIn is not { } task || !Given(result, Task))
            {
                yield break;
            }
            foreach (var option in new Option[] { Data, Target }.Where(o => Given(result, o)))
            {
                yield return $"--task {task.Name}: a built-in task brings its own data, so {option.Name} cannot go with it (use --task classification or regression with --data).";
            }
        }

        private static string Name(ClipMode mode) => mode.ToString().ToLowerInvariant();

        private static string Name(TaskKind kind) => kind.ToString().ToLowerInvariant();

        private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

        private static T Guarded<T>(List<string> problems, Func<T> parse, T fallback)
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

        private static Option<T> Choice<T>(string name, string description, T defaultValue, params IEnumerable<string> choices)
        {
            var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
            option.AcceptOnlyFromAmong([.. choices]);
            return option;
        }
    }
}
