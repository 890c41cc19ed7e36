using System.CommandLine;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary><c>gradclip train --resume</c>: the options of the run being continued, and the few that may change.</summary>
public static partial class TrainCommand
{
    /// <summary>The command's options: the part that reads a resumed run's options from its checkpoint.</summary>
    private sealed partial class Options
    {
        /// <summary>The options a resumed run may change; any other given option must agree with the checkpoint's.</summary>
        private IEnumerable<Option> Changeable => [Setup.Epochs, CheckpointEvery, Output, Resume, NoPlots];

        /// <summary>
        /// The options recorded in the checkpoint of <paramref name="folder"/>, with --epochs, --checkpoint-every, --out and --no-plots
        /// taken from the command line when given there (every other option given must agree with the checkpoint's), and the
        /// checkpoint itself, read once for both; null when it cannot be read, with the problem added.
        /// </summary>
        private (TrainOptions Options, TrainingCheckpoint? Checkpoint) Resumed(ParseResult result, TrainOptions given, string folder, List<string> problems)
        {
            if (ResumeFolderProblem(folder) is { } missing)
            {
                problems.Add($"--resume: {missing}");
                return (given, null);
            }
            TrainingCheckpoint checkpoint;
            IReadOnlyDictionary<string, string> recorded;
            try
            {
                (checkpoint, recorded) = CheckpointFolder.Load(TrainRun.CheckpointFolderOf(folder));
            }
            catch (CheckpointFormatException ex)
            {
                problems.Add($"--resume: {ex.Message}");
                return (given, null);
            }
            var storedOptions = new Options();
            var reparsed = storedOptions.Command().Parse(CheckpointOptions.Arguments(recorded));
            var storedProblems = new List<string>();
            var stored = storedOptions.Settings(reparsed, storedProblems);
            if (reparsed.Errors.Count > 0 || storedProblems.Count > 0)
            {
                string why = string.Join(" ", reparsed.Errors.Select(e => e.Message).Concat(storedProblems));
                problems.Add($"--resume: the options recorded in '{TrainRun.CheckpointFolderOf(folder)}' cannot be read back: {why}");
                return (given, null);
            }
            problems.AddRange(Contradictions(result, given, stored, folder));
            var resumed = stored with
            {
                Epochs = Given(result, Setup.Epochs) ? given.Epochs : stored.Epochs,
                CheckpointEvery = Given(result, CheckpointEvery) ? given.CheckpointEvery : stored.CheckpointEvery,
                OutputFolder = given.OutputFolder,
                ResumeFolder = folder,
                Plots = given.Plots,
            };
            if (resumed.Epochs <= checkpoint.Epoch)
            {
                problems.Add($"--epochs: the run in '{folder}' has trained {checkpoint.Epoch} of its epochs already; pass --epochs greater than {checkpoint.Epoch} to train longer.");
            }
            return (resumed, checkpoint);
        }

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
                        + " a resumed run keeps its options (only --epochs, --checkpoint-every, --out and --no-plots may change).";
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
