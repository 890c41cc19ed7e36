using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GradClip.Cli.Common;
using GradClip.Cli.Report;

namespace GradClip.Cli.Tests.Report;

/// <summary>
/// A real comparison folder for the report tests, made once per test class: three short runs of the built-in data from the same
/// seed at a learning rate that makes the unclipped one diverge, each trained in process into its strategy's folder; a
/// <c>comparison.json</c> worked out here from the runs' own files; then <c>gradclip report</c> on the folder.
/// </summary>
public sealed class ComparedRuns : IDisposable
{
    /// <summary>The strategies, their folders and the <c>train</c> options that give them.</summary>
    public static readonly (string Strategy, string Folder, string[] Options)[] Strategies =
    [
        ("none", "none", ["--clip", "none"]),
        ("norm:1", "norm-1", ["--clip", "norm", "--max-norm", "1"]),
        ("value:0.5", "value-0.5", ["--clip", "value", "--clip-value", "0.5"]),
    ];

    private const int Epochs = 3;

    private readonly string _root = Directory.CreateTempSubdirectory("gradclip-compared-").FullName;

    /// <summary>Trains every strategy, writes comparison.json and reports.</summary>
    public ComparedRuns()
    {
        Folder = Path.Combine(_root, "compare");
        foreach (var (_, folder, options) in Strategies)
        {
            string[] common = ["train", "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--optimizer", "sgd", "--lr", "200", "--nonfinite", "propagate", "--no-plots", "--out", Path.Combine(Folder, folder)];
            var (code, output) = CliRunner.Run([.. common, .. options]);
            // The unclipped run diverges: it saves no model and exits 1; the clipped ones succeed.
            Assert.True(code == (folder == "none" ? ExitCodes.Failure : ExitCodes.Success), output);
        }
        Comparison = ComparisonJson(Folder);
        File.WriteAllText(Path.Combine(Folder, ComparisonRecords.ComparisonFile), Comparison.ToJsonString());
        Report = CliRunner.Run("report", Folder);
    }

    /// <summary>The comparison's folder, with its report.</summary>
    public string Folder { get; }

    /// <summary>What was written to comparison.json.</summary>
    public JsonObject Comparison { get; }

    /// <summary>What <c>gradclip report</c> returned and printed.</summary>
    public (int ExitCode, string Output) Report { get; }

    /// <summary>Copies comparison.json and the runs' own files (not the reports) into <paramref name="folder"/> and returns it.</summary>
    public string Copy(string folder)
    {
        foreach (var (_, name, _) in Strategies)
        {
            Directory.CreateDirectory(Path.Combine(folder, name));
            foreach (string file in new[] { "metrics.jsonl", "steps.jsonl", "summary.json" })
            {
                File.Copy(Path.Combine(Folder, name, file), Path.Combine(folder, name, file));
            }
        }
        File.Copy(Path.Combine(Folder, ComparisonRecords.ComparisonFile), Path.Combine(folder, ComparisonRecords.ComparisonFile));
        return folder;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The comparison as <c>gradclip compare</c> writes it, each figure taken from the strategy's metrics and summary.</summary>
    private static JsonObject ComparisonJson(string folder)
    {
        var rows = new JsonArray();
        string model = "";
        foreach (var (strategy, name, _) in Strategies)
        {
            var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, name, "summary.json"))).RootElement;
            var steps = Lines(Path.Combine(folder, name, "steps.jsonl"));
            var epochs = Lines(Path.Combine(folder, name, "metrics.jsonl"));
            var nonFinite = steps.Where(s => Null(s, "loss") || Null(s, "grad_norm_before")).Select(s => s.GetProperty("step").GetInt32()).ToList();
            var accuracies = epochs.Where(e => !Null(e, "val_accuracy")).Select(e => e.GetProperty("val_accuracy").GetDouble()).ToList();
            var final = summary.GetProperty("final");
            model = summary.GetProperty("model").GetString()!;
            rows.Add(new JsonObject
            {
                ["strategy"] = strategy,
                ["folder"] = name,
                ["final_loss"] = Null(final, "train_loss") ? null : final.GetProperty("train_loss").GetDouble(),
                ["best_val_metric"] = accuracies.Count == 0 ? null : accuracies.Max(),
                ["final_val_metric"] = Number(epochs[^1], "val_accuracy"),
                ["final_metrics"] = new JsonObject
                {
                    ["val_accuracy"] = Number(epochs[^1], "val_accuracy"),
                    ["val_macro_f1"] = Number(epochs[^1], "val_macro_f1"),
                    ["train_accuracy"] = Number(epochs[^1], "train_accuracy"),
                },
                ["collapsed"] = false,
                ["diverged"] = nonFinite.Count > 0,
                ["first_nonfinite_step"] = nonFinite.Count == 0 ? null : nonFinite[0],
                ["clip_rate"] = steps.Count(s => s.GetProperty("clipped").GetBoolean()) / (double)steps.Count,
                ["ms_per_step"] = 1000 * summary.GetProperty("seconds").GetDouble() / steps.Count,
                ["steps"] = steps.Count,
            });
        }
        return new JsonObject
        {
            ["task"] = "built-in",
            ["model"] = model,
            ["seed"] = 0,
            ["epochs"] = Epochs,
            ["metric"] = "val_accuracy",
            ["strategies"] = rows,
        };
    }

    private static double? Number(JsonElement line, string key) => Null(line, key) ? null : line.GetProperty(key).GetDouble();

    private static List<JsonElement> Lines(string path) =>
        File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static bool Null(JsonElement json, string key) => json.GetProperty(key).ValueKind == JsonValueKind.Null;
}
