using System.CommandLine;
using GradClip.Cli.Common;
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
        /// <summary>The data, model and optimizer options, shared with <c>compare</c> and <c>recommend</c>.</summary>
        public SetupOptions Setup { get; } = new();
        public Option<string> Clip { get; } = SetupOptions.Choice<string>("--clip", "none, norm (clip_grad_norm_), value (clip_grad_value_), or adaptive: autoclip, zclip, agc.", "norm", "none", "norm", "value", "autoclip", "zclip", "agc");
        public Option<double> MaxNorm { get; } = new("--max-norm") { Description = "Largest global gradient norm, with --clip norm.", DefaultValueFactory = _ => TrainOptions.DefaultMaxNorm };
        public Option<string> NormType { get; } = new("--norm-type") { Description = "Norm order p > 0, or inf, with --clip norm.", DefaultValueFactory = _ => "2" };
        public Option<double> ClipValue { get; } = new("--clip-value") { Description = "Largest gradient element magnitude, with --clip value.", DefaultValueFactory = _ => TrainOptions.DefaultClipValue };
        public Option<double> Percentile { get; } = new("--percentile") { Description = "Percentile of past norms to clip to, with --clip autoclip.", DefaultValueFactory = _ => TrainOptions.DefaultPercentile };
        public Option<double> ZThreshold { get; } = new("--z-threshold") { Description = "z-score above which a norm is a spike, with --clip zclip.", DefaultValueFactory = _ => TrainOptions.DefaultZThreshold };
        public Option<double> AgcClipping { get; } = new("--agc-clipping") { Description = "Largest gradient-to-weight norm ratio λ, with --clip agc.", DefaultValueFactory = _ => TrainOptions.DefaultAgcClipping };
        public Option<string> NonFinite { get; } = SetupOptions.Choice<string>("--nonfinite", "On NaN/∞ in a step: skip it, stop, or propagate (as plain PyTorch).", "skip", "skip", "stop", "propagate");
        public Option<string?> Output { get; } = new("--out") { Description = "Folder for the run's files (default: runs/<timestamp>-<random>); a folder holding anything is refused unless --overwrite." };
        public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "Replace the earlier run in --out whole (only a GradClip run folder that no live run is using)." };
        public Option<int?> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Write a checkpoint into <out>/checkpoint every N epochs and after the last (Ctrl+C always writes one)." };
        public Option<bool> NoPlots { get; } = new("--no-plots") { Description = "Write no plot images: report.html then holds the table and the verdicts only." };
        public Option<string?> Resume { get; } = new("--resume") { Description = "Continue the run in this output folder from its checkpoint, with its options; only --epochs, --checkpoint-every, --out, --overwrite and --no-plots may change." };

        public IEnumerable<Option> All =>
        [
            .. Setup.All, Clip, MaxNorm, NormType, ClipValue, Percentile, ZThreshold, AgcClipping, NonFinite, Output, Overwrite, CheckpointEvery, Resume, NoPlots,
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
                problems.AddRange(Setup.Conflicts(result, options));
            }
            else if (problems.Count == 0)
            {
                (options, resumeFrom) = Resumed(result, options, resumeFolder, problems);
            }
            problems.AddRange(TrainOptionsCheck.Problems(options));
            // A resumed run continues in its own folder; any other output folder must hold no earlier run, unless replaced.
            if (options.ResumeFolder is null || Path.GetFullPath(options.ResumeFolder) != Path.GetFullPath(options.OutputFolder))
            {
                problems.AddRange(RunFolder.Problems(options.OutputFolder, options.Overwrite));
            }
            return problems.Count == 0 ? (options, resumeFrom) : throw new UsageException(problems);
        }

        /// <summary>The options as parsed, with the problems of parsing them added to <paramref name="problems"/>.</summary>
        private TrainOptions Settings(ParseResult result, List<string> problems)
        {
            double normType = SetupOptions.Guarded(problems, () => NumberText.ParseNormType(result.GetValue(NormType)!, "--norm-type"), 2);
            string output = result.GetValue(Output) ?? result.GetValue(Resume) ?? TrainOptions.DefaultOutputFolder();
            return Setup.Read(result, output, problems) with
            {
                Clip = Enum.Parse<ClipMode>(result.GetValue(Clip)!, ignoreCase: true),
                MaxNorm = result.GetValue(MaxNorm),
                NormType = normType,
                ClipValue = result.GetValue(ClipValue),
                Percentile = result.GetValue(Percentile),
                ZThreshold = result.GetValue(ZThreshold),
                AgcClipping = result.GetValue(AgcClipping),
                OnNonFinite = Enum.Parse<NonFiniteAction>(result.GetValue(NonFinite)!, ignoreCase: true),
                CheckpointEvery = result.GetValue(CheckpointEvery),
                ResumeFolder = result.GetValue(Resume),
                Plots = !result.GetValue(NoPlots),
                Overwrite = result.GetValue(Overwrite),
            };
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

        private static string Name(ClipMode mode) => mode.ToString().ToLowerInvariant();

        private static bool Given(ParseResult result, Option option) => SetupOptions.Given(result, option);
    }
}
