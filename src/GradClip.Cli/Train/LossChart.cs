using System.Globalization;
using System.Text;

namespace GradClip.Cli.Train;

/// <summary>A small text chart of the loss by epoch, as the seed's training trace draws it: '*' train, 'o' validation.</summary>
public static class LossChart
{
    /// <summary>The chart as lines of text; non-finite losses are marked '!' on the top row.</summary>
    public static IReadOnlyList<string> Render(IReadOnlyList<double> train, IReadOnlyList<double?> validation, int height = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        int epochs = train.Count;
        var finite = train.Concat(validation.Where(v => v.HasValue).Select(v => v!.Value)).Where(double.IsFinite).ToList();
        if (epochs == 0 || finite.Count == 0)
        {
            return ["(no finite loss to plot)"];
        }
        double top = finite.Max(), bottom = finite.Min();
        int columnWidth = epochs <= 20 ? 3 : 1;
        var grid = Enumerable.Range(0, height).Select(_ => new StringBuilder(new string(' ', epochs * columnWidth))).ToArray();
        for (int e = 0; e < epochs; e++)
        {
            Plot(grid, e * columnWidth, validation.Count > e ? validation[e] : null, 'o', top, bottom);
            Plot(grid, e * columnWidth, train[e], '*', top, bottom);
        }
        string[] labels = Enumerable.Range(0, height).Select(r => LabelFor(r, height, top, bottom)).ToArray();
        int labelWidth = labels.Max(l => l.Length);
        var lines = new List<string> { "Loss" };
        for (int r = 0; r < height; r++)
        {
            lines.Add($"{labels[r].PadLeft(labelWidth)} |{grid[r].ToString().TrimEnd()}");
        }
        lines.Add($"{new string(' ', labelWidth)} +{new string('-', epochs * columnWidth)}");
        lines.Add($"{new string(' ', labelWidth)}  {EpochAxis(epochs, columnWidth)} Epochs");
        return lines;
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

    private static string EpochAxis(int epochs, int columnWidth)
    {
        if (columnWidth > 1)
        {
            return string.Concat(Enumerable.Range(1, epochs).Select(e => e.ToString(CultureInfo.InvariantCulture).PadRight(columnWidth)));
        }
        string last = epochs.ToString(CultureInfo.InvariantCulture);
        return "1" + new string(' ', Math.Max(1, epochs - 1 - last.Length + 1)) + last;
    }
}
