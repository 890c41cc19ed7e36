using GradClip.Cli.Common;
using GradClip.Monitoring;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary>The seed's per-epoch table: gradient norm before and after clipping, how often clipping fired, loss and the task's metrics.</summary>
public static class EpochTable
{
    /// <summary>A table with one row per epoch and a column per metric the epochs report (the first epoch's, in their order).</summary>
    public static Table Of(IReadOnlyList<EpochSummary> epochs)
    {
        var table = new Table().Border(TableBorder.Rounded);
        var metrics = MetricText.Declared(epochs.Count > 0 ? epochs[0].Metrics.Select(m => m.Name) : []);
        // A run without validation (an agent's) has no validation loss: no column of dashes for it.
        bool validation = epochs.Count == 0 || epochs.Any(e => e.ValLoss is not null);
        string[] titles = ["Epoch", "Grad norm before\nmean / max", "Grad norm\nafter (mean)", "Clipped", "Train\nloss", .. validation ? ["Val\nloss"] : Array.Empty<string>()];
        foreach (string title in titles.Concat(metrics.Select(m => m.Label.Replace(' ', '\n'))))
        {
            table.AddColumn(new TableColumn(title).RightAligned());
        }
        foreach (var e in epochs)
        {
            table.AddRow([
                e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{NumberText.Brief(e.GradNormBeforeMean)} / {NumberText.Brief(e.GradNormBeforeMax)}",
                NumberText.Brief(e.GradNormAfterMean),
                NumberText.Percent(e.ClipRate),
                NumberText.Brief(e.TrainLoss),
                .. validation ? [e.ValLoss is { } v ? NumberText.Brief(v) : "-"] : Array.Empty<string>(),
                .. metrics.Select(m => MetricText.Of(m, e.Metric(m.Name))),
            ]);
        }
        return table;
    }
}
