using System.Globalization;
using System.Text.Json;
using GradClip.Cli;
using Spectre.Console;

namespace GradClip.Benchmarks;

/// <summary>
/// Whether clipping helps a built-in task over several seeds (console mode <c>task-clipping</c>): for each seed,
/// <c>gradclip compare --task TASK --strategies none,norm:MAX --seed S</c> with the task's defaults (and any extra options
/// given), then the final and best validation loss and validation accuracy of both runs, and how many seeds the clipped
/// run ended ahead on (lower final validation loss). Exits 1 when the clipped run is not ahead on every seed.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/GradClip.Benchmarks -- task-clipping TASK MAX_NORM [seeds] [-- extra options]</c> (default 5 seeds, 1 to 5).</remarks>
public static class TaskClipping
{
    /// <summary>Runs the comparison over the seeds and returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        if (arguments.Count < 2)
        {
            Console.Error.WriteLine("usage: task-clipping TASK MAX_NORM [SEEDS] [-- extra compare options]");
            return 2;
        }
        string task = arguments[0];
        string maxNorm = arguments[1];
        int separator = arguments.ToList().IndexOf("--");
        var head = separator < 0 ? arguments : arguments.Take(separator).ToList();
        string[] extra = separator < 0 ? [] : [.. arguments.Skip(separator + 1)];
        int seeds = head.Count > 2 ? int.Parse(head[2], CultureInfo.InvariantCulture) : 5;
        string folder = Directory.CreateTempSubdirectory("gradclip-task-clipping-").FullName;
        int ahead = 0;
        try
        {
            Console.WriteLine($"{task}: none against norm:{maxNorm} {string.Join(" ", extra)}");
            Console.WriteLine("seed  strategy   final val_loss  best val_loss  final val_acc  max grad norm  clipped");
            for (int seed = 1; seed <= seeds; seed++)
            {
                string output = Path.Combine(folder, seed.ToString(CultureInfo.InvariantCulture));
                RunCompare([.. new[] { "compare", "--task", task, "--strategies", $"none,norm:{maxNorm}", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", output, "--no-plots" }, .. extra]);
                var none = Outcome(output, "none");
                var clipped = Outcome(output, "norm-" + maxNorm);
                Console.WriteLine(Row(seed, "none", none));
                Console.WriteLine(Row(seed, "norm:" + maxNorm, clipped));
                ahead += clipped.FinalValLoss < none.FinalValLoss ? 1 : 0;
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Console.WriteLine($"The clipped run ended with the lower validation loss on {ahead} of {seeds} seeds.");
        return ahead == seeds ? 0 : 1;
    }

    private static void RunCompare(string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(TextWriter.Null),
        });
        int code = GradClipApp.Run(args, console);
        if (code != 0)
        {
            throw new InvalidOperationException($"gradclip {string.Join(" ", args)} exited {code}.");
        }
    }

    private static (double FinalValLoss, double BestValLoss, double FinalValAccuracy, double MaxNorm, double ClipRate) Outcome(string compareFolder, string strategyFolder)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(compareFolder, strategyFolder, "summary.json")));
        var epochs = File.ReadAllLines(Path.Combine(compareFolder, strategyFolder, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        double Field(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
        var final = epochs[^1];
        return (Field(final, "val_loss"), epochs.Min(e => Field(e, "val_loss")), Field(final, "val_accuracy"),
            epochs.Max(e => Field(e, "grad_norm_before_max")), epochs.Average(e => Field(e, "clip_rate")));
    }

    private static string Row(int seed, string strategy, (double FinalValLoss, double BestValLoss, double FinalValAccuracy, double MaxNorm, double ClipRate) o) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{seed,4}  {strategy,-9}  {o.FinalValLoss,14:F4}  {o.BestValLoss,13:F4}  {o.FinalValAccuracy,13:P1}  {o.MaxNorm,13:G4}  {o.ClipRate,7:P0}");
}
