namespace GradClip.Data;

/// <summary>
/// Reads the feature columns a model needs from a CSV file, by name and in any order; other columns (a target, an id) are
/// ignored. The layout is detected or given as for <see cref="CsvDataLoader"/>. Errors are <see cref="DataFormatException"/>s
/// naming the file, line and column.
/// </summary>
public static class CsvFeatureReader
{
    /// <summary>Reads the rows of <paramref name="path"/> as a row-major array of the <paramref name="featureNames"/> columns.</summary>
    /// <remarks>With <see cref="MissingValues.Mean"/>, an empty cell is NaN, for the model's imputer to fill.</remarks>
    public static (float[] Features, int RowCount) Load(string path, IReadOnlyList<string> featureNames, CsvOptions? options = null) =>
        CsvDataLoader.WithFile(path, stream => Read(stream, path, featureNames, options));

    /// <summary>Reads CSV text from a seekable <paramref name="stream"/> as <see cref="Load"/> does; <paramref name="source"/> names it in errors.</summary>
    public static (float[] Features, int RowCount) Read(Stream stream, string source, IReadOnlyList<string> featureNames, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable: its line breaks are counted before it is parsed.", nameof(stream));
        }
        options ??= CsvOptions.Default;
        return CsvText.Decoding(stream, source, () =>
        {
            var table = CsvTable.Open(stream, source, options, minColumns: 1);
            int[] positions = Positions(table.Columns, featureNames, source);
            int maxRows = table.MaxRows();
            CsvDataLoader.RequireMemory(source, maxRows, positions.Length);
            var features = new float[(long)maxRows * positions.Length];
            var cells = new BadCells(source, table);
            int row = 0;
            int rows = table.ForEachRow(positions, (reader, line) =>
                cells.ReadRow(reader, positions, line, features.AsSpan(row++ * positions.Length, positions.Length)));
            cells.ThrowIfAny();
            Array.Resize(ref features, rows * positions.Length);
            return (features, rows);
        });
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
