using GradClip.Cli.Common;
using GradClip.Monitoring;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary>The seed's per-epoch table: gradient norm before and after clipping, how often clipping fired, loss and accuracy.</summary>
public static class EpochTable
{
    /// <summary>A table with one row per epoch.</summary>
    public static Table Of(IReadOnlyList<EpochSummary> epochs)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string title in new[] { "Epoch", "Grad norm before\nmean / max", "Grad norm\nafter (mean)", "Clipped", "Train\nloss", "Val\nloss", "Val\naccuracy" })
        {
            table.AddColumn(new TableColumn(title).RightAligned());
        }
        foreach (var e in epochs)
        {
            table.AddRow(
                e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{NumberText.Brief(e.GradNormBeforeMean)} / {NumberText.Brief(e.GradNormBeforeMax)}",
                NumberText.Brief(e.GradNormAfterMean),
                NumberText.Percent(e.ClipRate),
                NumberText.Brief(e.TrainLoss),
                e.ValLoss is { } v ? NumberText.Brief(v) : "-",
                e.ValAccuracy is { } a ? NumberText.Percent(a) : "-");
        }
        return table;
    }
}
