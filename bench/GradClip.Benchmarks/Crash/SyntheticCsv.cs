using System.Globalization;

namespace GradClip.Benchmarks.Crash;

/// <summary>A seeded classification CSV of any size: ten features, three classes whose centres differ.</summary>
internal static class SyntheticCsv
{
    /// <summary>Writes <paramref name="rows"/> rows to <paramref name="path"/>.</summary>
    public static void Write(string path, int rows)
    {
        var random = new Random(1);
        using var writer = new StreamWriter(path);
        writer.Write("f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,label\n");
        for (int row = 0; row < rows; row++)
        {
            int label = row % 3;
            for (int feature = 0; feature < 10; feature++)
            {
                double value = label * (feature % 3) + random.NextDouble() * 2;
                writer.Write(value.ToString("0.####", CultureInfo.InvariantCulture));
                writer.Write(',');
            }
            writer.Write((char)('a' + label));
            writer.Write('\n');
        }
    }
}
