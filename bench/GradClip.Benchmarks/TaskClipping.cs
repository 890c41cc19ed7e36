using System.Globalization;
using System.Text.Json;
using GradClip.Cli;
using Spectre.Console;

namespace GradClip.Benchmarks;

/// <summary>
/// Whether clipping helps a built-in task over several seeds (console mode <c>task-clipping</c>): for each seed,
/// <c>gradclip compare --task TASK --strategies none,norm:MAX --seed S</c> with the task's defaults (and any extra options
/// given), then the final and best validation loss and validation accuracy of both runs, and how many seeds the clipped
/// run ended ahead on (lower final validation loss). For a task that plays an environment (its epochs report
/// <c>mean_return</c>), the final, best and last-five-epoch mean return instead, ahead meaning a higher final return.
/// Exits 1 when the clipped run is not ahead on every seed.
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
            bool header = false;
            for (int seed = 1; seed <= seeds; seed++)
            {
                string output = Path.Combine(folder, seed.ToString(CultureInfo.InvariantCulture));
                RunCompare([.. new[] { "compare", "--task", task, "--strategies", $"none,norm:{maxNorm}", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", output, "--no-plots" }, .. extra]);
                var none = Outcome(output, "none");
                var clipped = Outcome(output, "norm-" + maxNorm);
                if (!header)
                {
                    Console.WriteLine(none.Return
                        ? "seed  strategy   final return   best return  last 5 epochs  max grad norm  clipped"
                        : "seed  strategy   final val_loss  best val_loss  final val_acc  max grad norm  clipped");
                    header = true;
                }
                Console.WriteLine(Row(seed, "none", none));
                Console.WriteLine(Row(seed, "norm:" + maxNorm, clipped));
                ahead += (none.Return ? clipped.Final > none.Final : clipped.Final < none.Final) ? 1 : 0;
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Console.WriteLine($"The clipped run ended ahead (lower validation loss, or higher return) on {ahead} of {seeds} seeds.");
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

    /// <summary>
    /// A strategy's run in figures: the final and best validation loss and the final accuracy, or for an agent the final
    /// and best mean return and the mean of its last five epochs; with the largest gradient norm and the clip rate.
    /// </summary>
    private sealed record RunOutcome(bool Return, double Final, double Best, double Third, double MaxNorm, double ClipRate);

    private static RunOutcome Outcome(string compareFolder, string strategyFolder)
    {
        var epochs = File.ReadAllLines(Path.Combine(compareFolder, strategyFolder, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        double Field(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
        var final = epochs[^1];
        double maxNorm = epochs.Max(e => Field(e, "grad_norm_before_max"));
        double clipRate = epochs.Average(e => Field(e, "clip_rate"));
        return final.TryGetProperty("mean_return", out _)
            ? new RunOutcome(true, Field(final, "mean_return"), epochs.Max(e => Field(e, "mean_return")), epochs.TakeLast(5).Average(e => Field(e, "mean_return")), maxNorm, clipRate)
            : new RunOutcome(false, Field(final, "val_loss"), epochs.Min(e => Field(e, "val_loss")), Field(final, "val_accuracy"), maxNorm, clipRate);
    }

    private static string Row(int seed, string strategy, RunOutcome o) => o.Return
        ? string.Create(CultureInfo.InvariantCulture,
            $"{seed,4}  {strategy,-9}  {o.Final,12:F1}  {o.Best,12:F1}  {o.Third,13:F1}  {o.MaxNorm,13:G4}  {o.ClipRate,7:P0}")
        : string.Create(CultureInfo.InvariantCulture,
            $"{seed,4}  {strategy,-9}  {o.Final,14:F4}  {o.Best,13:F4}  {o.Third,13:P1}  {o.MaxNorm,13:G4}  {o.ClipRate,7:P0}");
}
