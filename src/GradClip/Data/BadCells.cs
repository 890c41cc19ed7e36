using System.Globalization;

namespace GradClip.Data;

/// <summary>Reads feature cells as numbers, collecting the bad ones (up to <see cref="CsvDataLoader.MaxCellsReported"/>) so that one error lists them all.</summary>
internal sealed class BadCells(string source, CsvTable table)
{
    private readonly List<(int Line, string Column, string Problem)> _cells = [];
    private int _count;

    /// <summary>Reads the fields <paramref name="columns"/> of the current record, on <paramref name="line"/>, into <paramref name="values"/>.</summary>
    public void ReadRow(CsvRecordReader reader, int[] columns, int line, Span<float> values)
    {
        for (int k = 0; k < columns.Length; k++)
        {
            values[k] = Read(reader.Field(columns[k]), columns[k], line);
        }
    }

    /// <summary>The number in <paramref name="cell"/> of <paramref name="column"/>: NaN for an empty cell kept for imputation, 0 for a bad cell (recorded).</summary>
    private float Read(ReadOnlySpan<char> cell, int column, int line)
    {
        CellText.Kind kind = CellText.Read(cell, table.Numbers, out double value);
        if (kind == CellText.Kind.Number)
        {
            return (float)value;
        }
        if (kind == CellText.Kind.Empty && table.Missing == MissingValues.Mean)
        {
            return float.NaN;
        }
        if (_count++ < CsvDataLoader.MaxCellsReported)
        {
            _cells.Add((line, table.Columns[column], CellText.Explain(kind, cell)));
        }
        return 0;
    }

    /// <summary>Throws the error listing the bad cells, when there are any.</summary>
    public void ThrowIfAny()
    {
        if (_count == 0)
        {
            return;
        }
        var (line, column, problem) = _cells[0];
        if (_count == 1)
        {
            throw new DataFormatException(source, line, column, problem);
        }
        string more = _count > _cells.Count ? $", and {Number(_count - _cells.Count)} more" : "";
        string list = string.Join("; ", _cells.Select(c => $"line {Number(c.Line)}, column '{c.Column}': {c.Problem}"));
        throw new DataFormatException(source, line, column, $"{Number(_count)} cells are not usable numbers: {list}{more}");
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
