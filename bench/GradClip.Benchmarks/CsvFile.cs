using System.Globalization;
using System.Text;

namespace GradClip.Benchmarks;

/// <summary>A seeded numeric CSV file for the CSV benchmarks: a header, then rows of feature values and a class label.</summary>
public static class CsvFile
{
    /// <summary>Writes <paramref name="rows"/> rows of <paramref name="features"/> values and a label column to a temporary file; returns its path.</summary>
    public static string Write(int rows, int features)
    {
        string path = Path.Combine(Path.GetTempPath(), $"gradclip-bench-{rows}x{features}.csv");
        if (File.Exists(path))
        {
            return path;
        }
        var random = new Random(42);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine(string.Join(",", Enumerable.Range(0, features).Select(j => $"x{j}").Append("label")));
        var line = new StringBuilder();
        for (int i = 0; i < rows; i++)
        {
            line.Clear();
            for (int j = 0; j < features; j++)
            {
                line.Append(((float)(random.NextDouble() * 20 - 10)).ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }
            writer.Write(line.Append(random.Next(3)).Append('\n'));
        }
        return path;
    }
}
