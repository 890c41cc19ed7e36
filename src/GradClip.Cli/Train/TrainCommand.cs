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
            if (result.GetValue(o.Distributed))
            {
                return RankRun.Execute(o.Read, result, console, stop);
            }
            var (options, resumeFrom) = o.Read(result);
            return options.Ranks > 1 ? RankRun.Launch(options, result, o.Ranks, console, stop) : TrainRun.Execute(options, console, resumeFrom, stop);
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
        public Option<int?> Ranks { get; } = new("--ranks") { Description = "Train data-parallel on N ranks of this machine: starts mpirun (Open MPI) with N processes (1 trains in this one); the results do not depend on N." };
        public Option<bool> Distributed { get; } = new("--distributed") { Description = "Be one rank of a data-parallel job started by your own mpirun (mpirun -np N ... gradclip train --distributed ...); rank 0 writes the run's files." };
        public Option<int> MicroShards { get; } = new("--micro-shards") { Description = "With --ranks or --distributed: cut each batch into K micro-shards whose gradients are added in one fixed order, so that any rank count gives the same bits.", DefaultValueFactory = _ => TrainOptions.DefaultMicroShards };
        public Option<string?> Resume { get; } = new("--resume") { Description = "Continue the run in this output folder from its checkpoint, with its options; only --epochs, --checkpoint-every, --out, --overwrite, --no-plots, --ranks and --distributed may change." };

        public IEnumerable<Option> All =>
        [
            .. Setup.All, Clip, MaxNorm, NormType, ClipValue, Percentile, ZThreshold, AgcClipping, NonFinite, Output, Overwrite, CheckpointEvery, Resume, NoPlots, Ranks, Distributed, MicroShards,
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
        /// <param name="result">The parsed command line.</param>
        /// <param name="writer">
        /// Whether this process writes the run's files (all but ranks 1 and up of a data-parallel job): only then are the output
        /// folder's contents and lock checked, which the job's rank 0 may be changing already.
        /// </param>
        public (TrainOptions Options, SavedCheckpoint? ResumeFrom) Read(ParseResult result, bool writer = true)
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
                (options, resumeFrom) = Resumed(result, options, resumeFolder, problems, writer);
            }
            // The output folder is checked by writing a probe file into it: by the one rank that writes there.
            problems.AddRange(writer ? TrainOptionsCheck.Problems(options) : TrainOptionsCheck.RangeProblems(options));
            problems.AddRange(DataParallelProblems(result, options));
            // A resumed run continues in its own folder; any other output folder must hold no earlier run, unless replaced.
            if (writer && (options.ResumeFolder is null || Path.GetFullPath(options.ResumeFolder) != Path.GetFullPath(options.OutputFolder)))
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
                Ranks = result.GetValue(Ranks) ?? 1,
                Distributed = result.GetValue(Distributed),
                MicroShards = Given(result, Ranks) || Given(result, Distributed) || Given(result, MicroShards) ? result.GetValue(MicroShards) : null,
            };
        }

        /// <summary>The problems with the data-parallel options: --ranks out of range or with --distributed, micro-shards alone or too few, dropout.</summary>
        private IEnumerable<string> DataParallelProblems(ParseResult result, TrainOptions options)
        {
            if (Given(result, Ranks) && Given(result, Distributed))
            {
                yield return "--ranks: starts its own ranks; --distributed is for ranks that your own mpirun starts. Give one of them.";
            }
            if (options.BuiltIn?.Agent is not null && (options.Ranks > 1 || Given(result, Distributed)))
            {
                yield return $"--task {options.BuiltIn.Name}: plays its episodes in one process; data-parallel training (--ranks, --distributed) shares batches of data rows.";
            }
            if (options.Ranks is < 1 or > MaxRanks)
            {
                yield return $"--ranks: must be from 1 to {MaxRanks}, but was {options.Ranks}.";
            }
            if (options.MicroShards is not { } shards)
            {
                yield break;
            }
            if (!Given(result, Ranks) && !Given(result, Distributed) && options.ResumeFolder is null)
            {
                yield return "--micro-shards: applies to data-parallel training; add --ranks N (or --distributed under your own mpirun).";
            }
            if (shards < Math.Max(1, options.Ranks))
            {
                yield return $"--micro-shards: must be at least 1 and at least --ranks ({options.Ranks}), so that every rank has a micro-shard, but was {shards}.";
            }
            if (options.Dropout > 0 && (Given(result, Ranks) || Given(result, Distributed)))
            {
                yield return "--dropout: data-parallel training does not support dropout (the masks drawn would depend on the rank count); leave it at 0.";
            }
        }

        /// <summary>The most ranks --ranks starts on one machine.</summary>
        private const int MaxRanks = 256;

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
