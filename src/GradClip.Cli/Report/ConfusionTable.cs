using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace GradClip.Cli.Report;

/// <summary>
/// A confusion matrix with its class names, as <c>summary.json</c> and <c>evaluation.json</c> hold it
/// (<c>{"classes": [...], "counts": [[...], ...]}</c>, true class by row, predicted class by column) and as reports show it.
/// </summary>
/// <param name="Classes">The class names, by index.</param>
/// <param name="Counts">The counts: <c>Counts[t][p]</c> rows of true class t predicted as p.</param>
public sealed record ConfusionTable(IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<long>> Counts)
{
    /// <summary>The key the files hold it under.</summary>
    public const string Key = "confusion_matrix";

    /// <summary>The table of <paramref name="counts"/> (true class by row) with <paramref name="classes"/>.</summary>
    public static ConfusionTable Of(IReadOnlyList<string> classes, long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new ConfusionTable(classes,
            [.. Enumerable.Range(0, counts.GetLength(0)).Select(t => (IReadOnlyList<long>)[.. Enumerable.Range(0, counts.GetLength(1)).Select(p => counts[t, p])])]);
    }

    /// <summary>Writes the table under <see cref="Key"/>, or null there when there is none.</summary>
    public static void Write(Utf8JsonWriter json, ConfusionTable? table)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (table is null)
        {
            json.WriteNull(Key);
            return;
        }
        json.WriteStartObject(Key);
        json.WriteStartArray("classes");
        foreach (string name in table.Classes)
        {
            json.WriteStringValue(name);
        }
        json.WriteEndArray();
        json.WriteStartArray("counts");
        foreach (var row in table.Counts)
        {
            json.WriteStartArray();
            foreach (long count in row)
            {
                json.WriteNumberValue(count);
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The table under <see cref="Key"/> in <paramref name="json"/>; null when the key is absent (older runs) or null.</summary>
    /// <exception cref="InvalidDataException">The value is not a square table of counts with one row per class.</exception>
    public static ConfusionTable? Read(JsonElement json)
    {
        if (!json.TryGetProperty(Key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"'{Key}' should be an object or null, but is {value.GetRawText()}.");
        }
        var classes = JsonFields.Items(value, "classes").Select(c => c.ValueKind == JsonValueKind.String ? c.GetString()!
            : throw new InvalidDataException($"'{Key}' classes should be strings, but one is {c.GetRawText()}.")).ToList();
        var counts = JsonFields.Items(value, "counts").Select(row => (IReadOnlyList<long>)[.. Row(row)]).ToList();
        return counts.Count == classes.Count && counts.All(row => row.Count == classes.Count)
            ? new ConfusionTable(classes, counts)
            : throw new InvalidDataException($"'{Key}' should have {classes.Count} rows of {classes.Count} counts, one per class.");
    }

    /// <summary>The table as an HTML section: true classes down, predicted across, the diagonal (right) marked.</summary>
    public void Html(StringBuilder page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.Append("<section id=\"confusion\">\n<h2>Confusion matrix</h2>\n<table class=\"confusion\">\n<thead><tr><th>true \\ predicted</th>");
        foreach (string name in Classes)
        {
            page.Append("<th>").Append(WebUtility.HtmlEncode(name)).Append("</th>");
        }
        page.Append("</tr></thead>\n<tbody>\n");
        for (int t = 0; t < Classes.Count; t++)
        {
            page.Append("<tr><th>").Append(WebUtility.HtmlEncode(Classes[t])).Append("</th>");
            for (int p = 0; p < Classes.Count; p++)
            {
                page.Append(t == p ? "<td class=\"best\">" : "<td>").Append(Counts[t][p].ToString(CultureInfo.InvariantCulture)).Append("</td>");
            }
            page.Append("</tr>\n");
        }
        page.Append("</tbody>\n</table>\n<p class=\"note\">Validation rows by true class (rows) and predicted class (columns), for the weights the model kept; the diagonal holds the rows predicted right.</p>\n</section>\n");
    }

    private static IEnumerable<long> Row(JsonElement row) =>
        row.ValueKind == JsonValueKind.Array
            ? row.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out long n) && n >= 0 ? n
                : throw new InvalidDataException($"'{Key}' counts should be whole numbers of rows, but one is {c.GetRawText()}."))
            : throw new InvalidDataException($"'{Key}' counts should be arrays, but one is {row.GetRawText()}.");
}
