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
        foreach (string title in new[] { "Epoch", "Grad norm before\n(mean / max)", "Grad norm\nafter", "Clipped", "Train loss", "Val loss", "Val accuracy" })
        {
            table.AddColumn(new TableColumn(title).RightAligned());
        }
        foreach (var e in epochs)
        {
            table.AddRow(
                e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{NumberText.Short(e.GradNormBeforeMean)} / {NumberText.Short(e.GradNormBeforeMax)}",
                NumberText.Short(e.GradNormAfterMean),
                Percent(e.ClipRate),
                NumberText.Short(e.TrainLoss),
                e.ValLoss is { } v ? NumberText.Short(v) : "-",
                e.ValAccuracy is { } a ? Percent(a) : "-");
        }
        return table;
    }

    private static string Percent(double fraction) =>
        (100 * fraction).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " %";
}
