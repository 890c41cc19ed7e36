using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using GradClip.Serialization;

namespace GradClip.Data;

/// <summary>Loads a CSV file into a <see cref="TabularData"/>: numeric feature columns and one target column.</summary>
/// <remarks>
/// Format: comma-, semicolon- or tab-separated (detected, or given in <see cref="CsvOptions"/>), fields optionally in double
/// quotes (a quote inside quotes written <c>""</c>), LF or CRLF line ends, UTF-8 (a byte-order mark is honoured; another
/// encoding when given), blank lines ignored, numbers with a decimal point or, when detected or given, a decimal comma.
/// The first row names the columns; a first row that looks like data is refused unless the options say there is no
/// header; scikit-learn's first line (row count, feature count, class names) is read as such.
/// The file's line breaks are counted first (in its raw bytes, a fast scan), so that the memory it needs is known (and
/// refused, saying how much, when it is more than is available) before any is spent; then it is parsed once, its cells
/// into one float array.
/// Every problem with the data is a <see cref="DataFormatException"/> naming the file, line and column.
/// </remarks>
public static class CsvDataLoader
{
    /// <summary>The most columns a file may have.</summary>
    public const int MaxColumns = 10_000;

    /// <summary>The longest cell or column name accepted, in characters.</summary>
    public const int MaxFieldLength = 1_000;

    /// <summary>The most distinct labels a classification target may have.</summary>
    public const int MaxClasses = 1_000;

    /// <summary>A whole-number target with at most this many distinct values is detected as classification.</summary>
    public const int MaxAutoClasses = 20;

    /// <summary>The most bad cells one error lists.</summary>
    public const int MaxCellsReported = 20;

    /// <summary>Loads the file at <paramref name="path"/>; the target is the column named <paramref name="target"/> (default: the last), the task is detected unless given.</summary>
    public static TabularData Load(string path, string? target = null, TaskKind? task = null, CsvOptions? options = null) =>
        WithFile(path, stream => Read(stream, path, target, task, options));

    /// <summary>Reads CSV text from a seekable <paramref name="stream"/> as <see cref="Load"/> does; <paramref name="source"/> names it in errors and in <see cref="TabularData.Source"/>.</summary>
    public static TabularData Read(Stream stream, string source, string? target = null, TaskKind? task = null, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable: its line breaks are counted before it is parsed.", nameof(stream));
        }
        options ??= CsvOptions.Default;
        return CsvText.Decoding(stream, source, () =>
        {
            var table = CsvTable.Open(stream, source, options, minColumns: 2);
            int targetIndex = table.Layout.FirstRow == CsvLayout.FirstRowKind.SampleCounts && target is null
                ? table.Columns.Length - 1
                : FindTarget(table.Columns, target, source);
            if (!table.Used.Contains(targetIndex))
            {
                throw new DataFormatException(source, null, table.Columns[targetIndex], "is the target, so it cannot be ignored");
            }
            int[] featureColumns = [.. table.Used.Where(j => j != targetIndex)];
            if (featureColumns.Length == 0)
            {
                throw new DataFormatException(source, null, null, "no feature column is left once the target and the ignored columns are set aside");
            }
            int maxRows = table.MaxRows();
            RequireMemory(source, maxRows, featureColumns.Length);
            var features = new float[(long)maxRows * featureColumns.Length];
            var targetColumn = new TargetColumn(source, table.Columns[targetIndex], maxRows, table.Numbers);
            var cells = new BadCells(source, table);
            var lines = new int[maxRows];
            int row = 0;
            int rows = table.ForEachRow([.. featureColumns, targetIndex], (reader, line) =>
            {
                lines[row] = line;
                targetColumn.Add(reader.Field(targetIndex), line);
                cells.ReadRow(reader, featureColumns, line, features.AsSpan(row++ * featureColumns.Length, featureColumns.Length));
            });
            cells.ThrowIfAny();
            // Blank lines, quoted line breaks and dropped rows leave the arrays longer than the rows read.
            Array.Resize(ref features, rows * featureColumns.Length);
            Array.Resize(ref lines, rows);
            ImmutableArray<string> featureNames = [.. featureColumns.Select(j => table.Columns[j])];
            return targetColumn.Build(ImmutableCollectionsMarshal.AsImmutableArray(features), featureNames, task,
                table.Layout.FirstRow == CsvLayout.FirstRowKind.SampleCounts ? table.Layout.ClassNames : null, table.Layout.Description)
                .WithSourceLines(ImmutableCollectionsMarshal.AsImmutableArray(lines));
        });
    }

    /// <summary>
    /// The bytes needed to load and train on <paramref name="rows"/> rows of <paramref name="features"/> features: the
    /// float32 features twice (as read, and standardized for training), a validation copy of a fifth of them, and per row
    /// a target, a label copy, and its place in the split and the shuffle.
    /// </summary>
    public static long MemoryNeeded(long rows, int features) => rows * (9L * features + 24);

    /// <summary>Opens <paramref name="path"/> for <paramref name="read"/>; a missing file, a folder or an unreadable file is a <see cref="DataFormatException"/>.</summary>
    internal static T WithFile<T>(string path, Func<Stream, T> read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, null, null, "this is a folder, not a file");
        }
        if (!File.Exists(path))
        {
            string where = Path.IsPathRooted(path) ? "" : $" (relative to {Directory.GetCurrentDirectory()})";
            throw new DataFormatException(path, null, null, "no such file" + where);
        }
        try
        {
            using var stream = RegularFile.OpenRead(path);
            return read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "the file cannot be read: " + e.Message, e);
        }
    }

    /// <summary>Refuses, before allocating it, data that needs more memory than the process has left.</summary>
    internal static void RequireMemory(string source, int rows, int features)
    {
        long needed = MemoryNeeded(rows, features);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - GC.GetTotalMemory(forceFullCollection: false);
        if (needed > available)
        {
            throw new DataFormatException(source, null, null,
                $"{Number(rows)} rows × {Number(features)} features need about {Megabytes(needed)} MB to load and train on, "
                + $"but only {Megabytes(Math.Max(available, 0))} MB of memory are available");
        }
    }

    private static int FindTarget(string[] columns, string? target, string source)
    {
        if (target is null)
        {
            return columns.Length - 1;
        }
        int index = Array.IndexOf(columns, target);
        if (index < 0)
        {
            string available = string.Join(", ", columns.Select(c => $"'{c}'"));
            throw new DataFormatException(source, null, target, $"there is no such target column; the columns are {available}");
        }
        return index;
    }

    private static string Megabytes(long bytes) => Math.Ceiling(bytes / 1e6).ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
