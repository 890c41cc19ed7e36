using System.Globalization;
using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Metrics;

namespace GradClip.Cli.Report;

/// <summary>
/// A <c>gradclip compare</c> output folder read back: <c>comparison.json</c> and, for each strategy it lists, the training run in
/// the strategy's folder. A missing or malformed file is a <see cref="UsageException"/> naming the file (and the strategy and key).
/// </summary>
/// <param name="Task">The task the strategies were compared on, e.g. <c>rnn-long</c>.</param>
/// <param name="Model">The network's architecture.</param>
/// <param name="Seed">The seed every strategy's run started from.</param>
/// <param name="Epochs">The epochs each strategy was given.</param>
/// <param name="Metric">The name of the task's headline metric, that of <see cref="ComparisonRow.BestValMetric"/> (a declared <see cref="TaskMetrics"/> name).</param>
/// <param name="Strategies">The strategies, in the file's order.</param>
public sealed record ComparisonRecords(string Task, string Model, int Seed, int Epochs, string Metric, IReadOnlyList<ComparedStrategy> Strategies)
{
    /// <summary>The largest comparison file accepted.</summary>
    private const int MaxBytes = 16 << 20;

    /// <summary>The comparison's file name.</summary>
    public const string ComparisonFile = "comparison.json";

    /// <summary>The declaration of <see cref="Metric"/>.</summary>
    public EpochMetric Headline => TaskMetrics.Named(Metric) ?? throw new InvalidOperationException($"'{Metric}' is not a declared metric.");

    /// <summary>The declared set that <see cref="Metric"/> heads, whose metrics each strategy's final figures hold.</summary>
    public TaskMetrics? Metrics => TaskMetrics.All.FirstOrDefault(t => t.Headline.Name == Metric);

    /// <summary>Whether <paramref name="folder"/> holds a comparison rather than a single run.</summary>
    public static bool IsComparison(string folder) => File.Exists(Path.Combine(folder, ComparisonFile));

    /// <summary>Reads the comparison in <paramref name="folder"/>, each strategy's run included.</summary>
    public static ComparisonRecords Read(string folder)
    {
        string path = Path.Combine(folder, ComparisonFile);
        string text = RunRecords.ReadText(path, MaxBytes);
        var json = Checked(path, () => JsonFields.Object(text));
        var comparison = Checked(path, () => new ComparisonRecords(
            JsonFields.Text(json, "task"),
            JsonFields.Text(json, "model"),
            JsonFields.Integer(json, "seed"),
            JsonFields.Integer(json, "epochs"),
            ReadMetric(json),
            []));
        var items = Checked(path, () => JsonFields.Items(json, "strategies").ToList());
        if (items.Count == 0)
        {
            throw new UsageException([$"{path}: 'strategies' is empty, so there is nothing to compare."]);
        }
        var strategies = items.Select((item, i) =>
            Checked($"{path}, strategy {(i + 1).ToString(CultureInfo.InvariantCulture)}", () => ReadStrategy(item, folder))).ToList();
        return comparison with { Strategies = strategies };
    }

    private static string ReadMetric(JsonElement json)
    {
        string metric = JsonFields.Text(json, "metric");
        return TaskMetrics.Named(metric) is not null
            ? metric
            : throw new InvalidDataException($"'metric' should name a metric a task declares ({string.Join(", ", TaskMetrics.All.Select(t => t.Headline.Name))}), but is \"{metric}\".");
    }

    private static ComparedStrategy ReadStrategy(JsonElement json, string comparisonFolder)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"each of 'strategies' should be an object, but this one is {json.GetRawText()}.");
        }
        string strategy = JsonFields.Text(json, "strategy");
        string folder = JsonFields.Text(json, "folder");
        if (folder.Length == 0 || folder is "." or ".." || folder.IndexOfAny(['/', '\\']) >= 0 || folder.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new InvalidDataException($"'folder' should name a folder inside the comparison's folder, but is \"{folder}\".");
        }
        return new ComparedStrategy(new ComparisonRow(
            strategy,
            folder,
            JsonFields.NullableNumber(json, "final_loss"),
            JsonFields.NullableNumber(json, "best_val_metric"),
            JsonFields.Boolean(json, "diverged"),
            JsonFields.NullableInteger(json, "first_nonfinite_step"),
            JsonFields.Number(json, "clip_rate"),
            JsonFields.Number(json, "ms_per_step"),
            JsonFields.Integer(json, "steps"))
        {
            FinalValMetric = JsonFields.NullableNumber(json, "final_val_metric"),
            Collapsed = JsonFields.Boolean(json, "collapsed"),
            FinalMetrics = [.. JsonFields.Entries(json, "final_metrics").Select(p => KeyValuePair.Create(p.Name, FinalMetric(p)))],
        },
            ReadRun(Path.Combine(comparisonFolder, folder), strategy));
    }

    private static double? FinalMetric(JsonProperty entry) => entry.Value.ValueKind switch
    {
        JsonValueKind.Number when entry.Value.TryGetDouble(out double value) => value,
        JsonValueKind.Null => null,
        _ => throw new InvalidDataException($"'final_metrics' entry '{entry.Name}' should be a number or null, but is {entry.Value.GetRawText()}."),
    };

    private static RunRecords ReadRun(string folder, string strategy) =>
        Directory.Exists(folder)
            ? RunRecords.Read(folder)
            : throw new InvalidDataException($"the folder of strategy '{strategy}', {folder}, does not exist.");

    /// <summary>Runs <paramref name="read"/>, turning a malformed key into a <see cref="UsageException"/> that says where it is.</summary>
    private static T Checked<T>(string where, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException([$"{where}: {ex.Message}"]);
        }
        catch (InvalidOperationException ex)
        {
            // A string or key escaping a lone surrogate (\ud800) parses, then fails when read as text.
            throw new UsageException([$"{where}: holds a string that is not valid Unicode text ({ex.Message})"]);
        }
    }
}
