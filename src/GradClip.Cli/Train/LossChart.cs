using System.Globalization;
using System.Text;

namespace GradClip.Cli.Train;

/// <summary>A small text chart of the loss by epoch, as the seed's training trace draws it: '*' train, 'o' validation.</summary>
/// <remarks>
/// The chart fits the width it is given at any number of epochs: three columns an epoch when they fit, else one, else
/// each column the mean of a run of consecutive epochs (a non-finite loss among them marks the column '!').
/// </remarks>
public static class LossChart
{
    /// <summary>The line under the chart that says what its marks mean.</summary>
    public const string Legend = "* train loss   o validation loss   ! non-finite loss";

    private const string AxisTitle = " Epochs";

    /// <summary>The legend for a chart too narrow for <see cref="Legend"/>.</summary>
    public const string ShortLegend = "* train  o val  ! NaN/∞";

    /// <summary>The legend of a chart with no validation loss (a run without validation rows, or an agent's).</summary>
    public const string TrainLegend = "* train loss   ! non-finite loss";

    /// <summary>The legend for a chart too narrow for <see cref="TrainLegend"/>.</summary>
    public const string ShortTrainLegend = "* train  ! NaN/∞";

    /// <summary>The chart as lines of text, none longer than <paramref name="width"/>; non-finite losses are marked '!' on the top row.</summary>
    public static IReadOnlyList<string> Render(IReadOnlyList<double> train, IReadOnlyList<double?> validation, int width = 80, int height = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        int epochs = train.Count;
        var finite = train.Concat(validation.Where(v => v.HasValue).Select(v => v!.Value)).Where(double.IsFinite).ToList();
        if (epochs == 0 || finite.Count == 0)
        {
            return ["(no finite loss to plot)"];
        }
        // The columns depend on the labels' width, and the labels on the columns' means: settle both in at most two passes.
        int labelWidth = Labels(finite, height).Max(l => l.Length);
        string[] labels;
        int columnWidth, columns;
        (double? Train, double? Validation)[] points;
        while (true)
        {
            int plotWidth = Math.Max(8, width - labelWidth - 2 - AxisTitle.Length);
            columnWidth = epochs * 3 <= plotWidth ? 3 : 1;
            columns = Math.Min(epochs, plotWidth / columnWidth);
            points = Points(train, validation, columns);
            labels = Labels(points.SelectMany(p => new[] { p.Train, p.Validation }).OfType<double>().Where(double.IsFinite).ToList(), height);
            if (labels.Max(l => l.Length) <= labelWidth)
            {
                break;
            }
            labelWidth = labels.Max(l => l.Length);
        }
        var plotted = points.SelectMany(p => new[] { p.Train, p.Validation }).OfType<double>().Where(double.IsFinite).ToList();
        double top = plotted.Max(), bottom = plotted.Min();
        var grid = Enumerable.Range(0, height).Select(_ => new StringBuilder(new string(' ', columns * columnWidth))).ToArray();
        for (int c = 0; c < columns; c++)
        {
            Plot(grid, c * columnWidth, points[c].Validation, 'o', top, bottom);
            Plot(grid, c * columnWidth, points[c].Train, '*', top, bottom);
        }
        var lines = new List<string> { "Loss" };
        for (int r = 0; r < height; r++)
        {
            lines.Add($"{labels[r].PadLeft(labelWidth)} |{grid[r].ToString().TrimEnd()}");
        }
        lines.Add($"{new string(' ', labelWidth)} +{new string('-', columns * columnWidth)}");
        lines.Add($"{new string(' ', labelWidth)}  {EpochAxis(epochs, columns * columnWidth, columnWidth)}{AxisTitle}");
        var (legend, shortLegend) = validation.Any(v => v.HasValue) ? (Legend, ShortLegend) : (TrainLegend, ShortTrainLegend);
        lines.Add($"{new string(' ', labelWidth)}  {(labelWidth + 2 + legend.Length <= width ? legend : shortLegend)}");
        return lines;
    }

    /// <summary>The mean train and validation loss of the epochs each of <paramref name="columns"/> columns stands for.</summary>
    private static (double? Train, double? Validation)[] Points(IReadOnlyList<double> train, IReadOnlyList<double?> validation, int columns) =>
        [.. Enumerable.Range(0, columns).Select(c =>
        {
            var (first, last) = Bucket(c, columns, train.Count);
            var epochs = Enumerable.Range(first, last - first).ToList();
            return (Mean(epochs.Select(e => (double?)train[e])), Mean(epochs.Select(e => validation.Count > e ? validation[e] : null)));
        })];

    /// <summary>The row labels of a chart of <paramref name="finite"/> values (top, middle and bottom rows).</summary>
    private static string[] Labels(IReadOnlyList<double> finite, int height) =>
        [.. Enumerable.Range(0, height).Select(r => LabelFor(r, height, finite.Max(), finite.Min()))];

    /// <summary>The epochs [first, last) that column <paramref name="column"/> of <paramref name="columns"/> stands for.</summary>
    private static (int First, int Last) Bucket(int column, int columns, int epochs) =>
        ((int)((long)column * epochs / columns), (int)((long)(column + 1) * epochs / columns));

    /// <summary>The mean of the given losses, NaN when one is non-finite, null when none is given.</summary>
    private static double? Mean(IEnumerable<double?> losses)
    {
        var given = losses.Where(l => l.HasValue).Select(l => l!.Value).ToList();
        return given.Count == 0 ? null : given.Any(l => !double.IsFinite(l)) ? double.NaN : given.Average();
    }

    private static void Plot(StringBuilder[] grid, int column, double? loss, char mark, double top, double bottom)
    {
        if (loss is not { } value)
        {
            return;
        }
        if (!double.IsFinite(value))
        {
            grid[0][column] = '!';
            return;
        }
        int height = grid.Length;
        int row = top == bottom ? height / 2 : (int)Math.Round((top - value) / (top - bottom) * (height - 1));
        grid[row][column] = mark;
    }

    private static string LabelFor(int row, int height, double top, double bottom)
    {
        if (row != 0 && row != height - 1 && row != (height - 1) / 2)
        {
            return "";
        }
        double value = top - (top - bottom) * row / (height - 1);
        return value.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>The epoch numbers under the chart: each one when every epoch has three columns, else the first and the last.</summary>
    private static string EpochAxis(int epochs, int span, int columnWidth)
    {
        if (columnWidth > 1 && epochs < 100)
        {
            return string.Concat(Enumerable.Range(1, epochs).Select(e => e.ToString(CultureInfo.InvariantCulture).PadRight(columnWidth))).TrimEnd();
        }
        string last = epochs.ToString(CultureInfo.InvariantCulture);
        return "1" + new string(' ', Math.Max(1, span - 1 - last.Length)) + last;
    }
}
