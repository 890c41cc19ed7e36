using System.CommandLine;
using System.CommandLine.Parsing;
using GradClip.Serialization;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary><c>gradclip train --resume</c>: the options of the run being continued, and the few that may change.</summary>
public static partial class TrainCommand
{
    /// <summary>The command's options: the part that reads a resumed run's options from its checkpoint.</summary>
    private sealed partial class Options
    {
        /// <summary>The options a resumed run may change; any other given option must agree with the checkpoint's.</summary>
        private IEnumerable<Option> Changeable => [Setup.Epochs, CheckpointEvery, Output, Overwrite, Resume, NoPlots, Ranks, Distributed];

        /// <summary>
        /// The options recorded in the checkpoint of <paramref name="folder"/>, with --epochs, --checkpoint-every, --out, --overwrite and --no-plots
        /// taken from the command line when given there (every other option given must agree with the checkpoint's), and the
        /// checkpoint itself, read once for both; null when it cannot be read, with the problem added.
        /// </summary>
        private (TrainOptions Options, SavedCheckpoint? Checkpoint) Resumed(ParseResult result, TrainOptions given, string folder, List<string> problems, bool writer)
        {
            if (ResumeFolderProblem(folder) is { } missing)
            {
                problems.Add($"--resume: {missing}");
                return (given, null);
            }
            if (writer && RunFolderLock.Holder(folder) is { } holder)
            {
                problems.Add($"--resume: {new RunFolderLockedException(folder, holder).Message}");
                return (given, null);
            }
            string checkpointFolder = TrainRun.CheckpointFolderOf(folder);
            SavedCheckpoint saved;
            try
            {
                saved = CheckpointFolder.Load(checkpointFolder);
            }
            catch (CheckpointFormatException ex)
            {
                problems.Add($"--resume: {ex.Message}");
                return (given, null);
            }
            if (StoredOptions(saved.Context.Options, Path.Combine(checkpointFolder, CheckpointFolder.MarkerFile), problems) is not { } stored)
            {
                return (given, null);
            }
            problems.AddRange(Contradictions(result, given, stored, folder));
            var resumed = stored with
            {
                Epochs = Given(result, Setup.Epochs) ? given.Epochs : stored.Epochs,
                CheckpointEvery = Given(result, CheckpointEvery) ? given.CheckpointEvery : stored.CheckpointEvery,
                OutputFolder = given.OutputFolder,
                Overwrite = given.Overwrite,
                ResumeFolder = folder,
                Plots = given.Plots,
                Ranks = given.Ranks,
                Distributed = given.Distributed,
                // A run that changes its rank count keeps its micro-shards; one resumed in a single process trains as usual.
                MicroShards = Given(result, Ranks) || Given(result, Distributed) ? stored.MicroShards ?? given.MicroShards : null,
            };
            // As many epochs as the checkpoint holds trains nothing more and writes the run's files: what finishes a run that was
            // stopped after its last checkpoint, while it wrote them.
            if (resumed.Epochs < saved.Checkpoint.Epoch)
            {
                problems.Add($"--epochs: the run in '{folder}' has trained {saved.Checkpoint.Epoch} epochs already; pass --epochs {saved.Checkpoint.Epoch} to finish its files, or more to train longer.");
            }
            return (resumed, saved);
        }

        /// <summary>
        /// The options recorded in a checkpoint's marker (<paramref name="marker"/>), parsed and range-checked as the command
        /// line is; null when they fail, with one problem per option naming its value and the file.
        /// </summary>
        private static TrainOptions? StoredOptions(IReadOnlyDictionary<string, string> recorded, string marker, List<string> problems)
        {
            var storedOptions = new Options();
            var reparsed = storedOptions.Command().Parse(CheckpointOptions.Arguments(recorded));
            var storedProblems = reparsed.Errors.Select(e => OptionOf(e) is { } name ? $"{name}: {e.Message}" : e.Message).ToList();
            // Reading the values is safe only once parsing found no error: GetValue throws on a value it could not parse.
            var stored = storedProblems.Count == 0 ? storedOptions.Settings(reparsed, storedProblems) : null;
            if (stored is not null)
            {
                storedProblems.AddRange(TrainOptionsCheck.RangeProblems(stored));
            }
            problems.AddRange(storedProblems.Select(p => $"--resume: '{marker}' records an option that cannot be used: {p}"));
            return storedProblems.Count == 0 ? stored : null;
        }

        /// <summary>The option a parse error is about (its own message does not always name it), or null.</summary>
        private static string? OptionOf(ParseError error) => error.SymbolResult switch
        {
            OptionResult option => option.Option.Name,
            ArgumentResult { Parent: OptionResult option } => option.Option.Name,
            _ => null,
        };

        /// <summary>One problem for each option given on the command line whose value differs from the checkpoint's.</summary>
        private IEnumerable<string> Contradictions(ParseResult result, TrainOptions given, TrainOptions stored, string folder)
        {
            var givenText = CheckpointOptions.Describe(given);
            var storedText = CheckpointOptions.Describe(stored);
            foreach (var option in All.Except(Changeable).Where(o => Given(result, o)))
            {
                string key = option.Name.TrimStart('-');
                string? mine = givenText.GetValueOrDefault(key);
                string? theirs = storedText.GetValueOrDefault(key);
                if (mine != theirs)
                {
                    yield return $"{option.Name}: the run in '{folder}' was trained with {(theirs is null ? "none given" : $"'{theirs}'")}, not '{mine}';"
                        + " a resumed run keeps its options (only --epochs, --checkpoint-every, --out, --overwrite, --no-plots, --ranks and --distributed may change).";
                }
            }
        }

        private static string? ResumeFolderProblem(string folder) =>
            File.Exists(folder) ? $"'{folder}' is a file; the output folder of an earlier 'gradclip train' run is needed."
            : !Directory.Exists(folder) ? $"folder '{folder}' not found."
            : !Directory.Exists(TrainRun.CheckpointFolderOf(folder))
                ? $"'{folder}' holds no checkpoint folder: it is written by runs given --checkpoint-every and by runs interrupted with Ctrl+C."
            : null;
    }
}
