using System.Text;
using GradClip.Serialization;

namespace GradClip.Data;

/// <summary>
/// Reads the feature columns a model needs from a CSV file with a header row, by name and in any order; other columns
/// (a target, an id) are ignored. Errors are <see cref="DataFormatException"/>s naming the file, line and column.
/// </summary>
public static class CsvFeatureReader
{
    /// <summary>Reads the rows of <paramref name="path"/> as a row-major array of the <paramref name="featureNames"/> columns.</summary>
    public static (float[] Features, int RowCount) Load(string path, IReadOnlyList<string> featureNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, null, null, Directory.Exists(path) ? "this is a folder, not a file" : "no such file");
        }
        try
        {
            using var stream = RegularFile.OpenRead(path);
            return Read(stream, path, featureNames);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "the file cannot be read: " + e.Message, e);
        }
    }

    /// <summary>Reads CSV text from <paramref name="stream"/> as <see cref="Load"/> does; <paramref name="source"/> names it in errors.</summary>
    public static (float[] Features, int RowCount) Read(Stream stream, string source, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(featureNames);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var reader = new CsvRecordReader(text, source, CsvDataLoader.MaxFieldLength, CsvDataLoader.MaxColumns);
        string[] columns = CsvDataLoader.ReadHeader(reader, source, minColumns: 1);
        int[] positions = Positions(columns, featureNames, source);
        reader.ColumnNames = columns;
        reader.MaxStoredFields = columns.Length;
        var features = new List<float>();
        int rows = CsvDataLoader.ReadRecords(reader, source, columns.Length, CsvDataLoader.MaxCells, line =>
        {
            foreach (int column in positions)
            {
                features.Add(CsvDataLoader.ReadNumber(reader, source, columns, column, line));
            }
        });
        return (features.ToArray(), rows);
    }

    private static int[] Positions(string[] columns, IReadOnlyList<string> featureNames, string source)
    {
        var positions = new int[featureNames.Count];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = Array.IndexOf(columns, featureNames[i]);
            if (positions[i] < 0)
            {
                throw new DataFormatException(source, null, featureNames[i],
                    $"the model needs this column, but the file has only {string.Join(", ", columns.Select(c => $"'{c}'"))}");
            }
        }
        return positions;
    }
}
