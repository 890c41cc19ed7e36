using System.Globalization;
using System.Text;
using GradClip.Data;
using GradClip.Serialization;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Predict;

/// <summary>Shows predictions as a table and writes them as CSV.</summary>
public static class PredictionReport
{
    /// <summary>The most rows shown on the terminal; a file gets them all.</summary>
    public const int RowsShown = 20;

    /// <summary>Writes a table: one row per input row, one column per class probability (or the value), and the predicted class.</summary>
    public static void Write(IAnsiConsole console, SavedModel model, Predictions predictions)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("Row").RightAligned());
        foreach (string column in Columns(model))
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        }
        for (int r = 0; r < Math.Min(predictions.Rows, RowsShown); r++)
        {
            table.AddRow(Cells(model, predictions, r).Prepend(Number(r + 1)).Select(Markup.Escape).ToArray());
        }
        console.Write(table);
        if (predictions.Rows > RowsShown)
        {
            console.MarkupLine($"… {predictions.Rows - RowsShown} more rows; use --output to write them all.");
        }
    }

    /// <summary>Writes all predictions to <paramref name="path"/> as CSV, atomically.</summary>
    public static void WriteCsv(string path, SavedModel model, Predictions predictions)
    {
        var text = new StringBuilder(string.Join(",", Columns(model).Select(Quote))).Append('\n');
        for (int r = 0; r < predictions.Rows; r++)
        {
            text.AppendJoin(',', Cells(model, predictions, r).Select(Quote)).Append('\n');
        }
        AtomicFile.WriteText(path, text.ToString());
    }

    private static IEnumerable<string> Columns(SavedModel model) => model.Task == TaskKind.Classification
        ? model.ClassNames.Select(c => $"p({c})").Append("predicted")
        : [model.TargetName];

    private static IEnumerable<string> Cells(SavedModel model, Predictions predictions, int row)
    {
        var values = predictions.Row(row).ToArray();
        var cells = values.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture));
        return model.Task == TaskKind.Classification ? cells.Append(model.ClassNames[predictions.Best(row)]) : cells;
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
