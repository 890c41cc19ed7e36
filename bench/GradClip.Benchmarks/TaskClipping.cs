using System.Globalization;
using System.Text.Json;
using GradClip.Cli;
using GradClip.Metrics;
using Spectre.Console;

namespace GradClip.Benchmarks;

/// <summary>
/// Whether clipping helps a built-in task over several seeds (console mode <c>task-clipping</c>): for each seed,
/// <c>gradclip compare --task TASK --strategies none,norm:MAX --seed S</c> with the task's defaults (and any extra options
/// given), then the final and best validation loss (where the task has validation rows; an agent has none) and the final,
/// best and last-five-epoch mean figure of the task's headline metric (accuracy, perplexity, return, …) of both runs, how
/// many seeds the clipped run ended ahead on (by the final headline figure, as compare ranks strategies, and by the final
/// validation loss), and each strategy's mean final headline figure. Exits 1 when the clipped run's final headline figure is not the better one
/// on every seed.
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
        var outcomes = new List<(Outcome None, Outcome Clipped)>();
        bool withLoss = false;
        try
        {
            Console.WriteLine($"{task}: none against norm:{maxNorm} {string.Join(" ", extra)}");
            for (int seed = 1; seed <= seeds; seed++)
            {
                string output = Path.Combine(folder, seed.ToString(CultureInfo.InvariantCulture));
                RunCompare([.. new[] { "compare", "--task", task, "--strategies", $"none,norm:{maxNorm}", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", output, "--no-plots" }, .. extra]);
                var none = Read(output, "none");
                var clipped = Read(output, "norm-" + maxNorm);
                if (seed == 1)
                {
                    withLoss = none.HasLoss || clipped.HasLoss;
                    Console.WriteLine($"seed  strategy  {(withLoss ? " final val_loss  best val_loss" : "")}  {"final " + none.Metric,16}  {"best " + none.Metric,16}  {"last 5 epochs",13}  max grad norm  clipped");
                }
                outcomes.Add((none, clipped));
                Console.WriteLine(Row(seed, "none", none, withLoss));
                Console.WriteLine(Row(seed, "norm:" + maxNorm, clipped, withLoss));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        bool higherIsBetter = TaskMetrics.Named(outcomes[0].None.Metric)?.HigherIsBetter ?? false;
        int ahead = outcomes.Count(o => higherIsBetter ? o.Clipped.FinalMetric > o.None.FinalMetric : o.Clipped.FinalMetric < o.None.FinalMetric);
        int lowerLoss = outcomes.Count(o => o.Clipped.FinalValLoss < o.None.FinalValLoss);
        string metric = outcomes[0].None.Metric;
        Console.WriteLine($"The clipped run ended with the better {metric} on {ahead} of {seeds} seeds{(withLoss ? $", and with the lower validation loss on {lowerLoss}" : "")}.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Mean final {metric}: none {outcomes.Average(o => o.None.FinalMetric):G4}, norm:{maxNorm} {outcomes.Average(o => o.Clipped.FinalMetric):G4}."));
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

    private static Outcome Read(string compareFolder, string strategyFolder)
    {
        using var comparison = JsonDocument.Parse(File.ReadAllText(Path.Combine(compareFolder, "comparison.json")));
        var strategy = comparison.RootElement.GetProperty("strategies").EnumerateArray().Single(s => s.GetProperty("folder").GetString() == strategyFolder);
        var epochs = File.ReadAllLines(Path.Combine(compareFolder, strategyFolder, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        double Field(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
        string metric = comparison.RootElement.GetProperty("metric").GetString()!;
        var losses = epochs.Select(e => Field(e, "val_loss")).Where(double.IsFinite).ToList();
        return new(losses.Count > 0, Field(epochs[^1], "val_loss"), losses.DefaultIfEmpty(double.NaN).Min(), metric,
            Field(strategy, "final_val_metric"), Field(strategy, "best_val_metric"), epochs.TakeLast(5).Average(e => Field(e, metric)),
            epochs.Max(e => Field(e, "grad_norm_before_max")), epochs.Average(e => Field(e, "clip_rate")));
    }

    private static string Row(int seed, string strategy, Outcome o, bool withLoss) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{seed,4}  {strategy,-9}{(withLoss ? string.Create(CultureInfo.InvariantCulture, $"  {o.FinalValLoss,14:F4}  {o.BestValLoss,13:F4}") : "")}  {o.FinalMetric,16:G4}  {o.BestMetric,16:G4}  {o.LastFiveMetric,13:G4}  {o.MaxNorm,13:G4}  {o.ClipRate,7:P0}");

    /// <summary>
    /// One strategy's run on one seed: whether any epoch has a finite validation loss (an agent has no validation rows), the
    /// final one and the best finite one, its task's headline metric at the end, at its best and over the last five epochs, and its gradient norms.
    /// </summary>
    private sealed record Outcome(bool HasLoss, double FinalValLoss, double BestValLoss, string Metric, double FinalMetric, double BestMetric, double LastFiveMetric, double MaxNorm, double ClipRate);
}
