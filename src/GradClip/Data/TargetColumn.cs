using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;

namespace GradClip.Data;

/// <summary>Collects the target cells of a CSV file row by row, then decides the task and turns them into labels or values.</summary>
internal sealed class TargetColumn
{
    private readonly string _file;
    private readonly string _name;
    private readonly NumberFormatInfo _numbers;
    private readonly List<double> _values;
    private readonly List<int> _textIndices;
    private readonly List<string> _texts = [];
    private readonly List<double> _textValues = [];
    private readonly Dictionary<string, int> _textIndex = new(StringComparer.Ordinal);
    private bool _tooManyTexts;
    private (int Line, string Text)? _firstText;
    private double? _firstFraction;

    /// <summary>Starts an empty column named <paramref name="name"/> of <paramref name="file"/>, with room for <paramref name="rows"/> cells read with <paramref name="numbers"/>.</summary>
    public TargetColumn(string file, string name, int rows, NumberFormatInfo numbers)
    {
        _file = file;
        _name = name;
        _numbers = numbers;
        _values = new List<double>(rows);
        _textIndices = new List<int>(rows);
    }

    /// <summary>Adds the target cell of the row on <paramref name="line"/>: a number or a label, never empty, NaN or too large.</summary>
    public void Add(ReadOnlySpan<char> cell, int line)
    {
        CellText.Kind kind = CellText.Read(cell, _numbers, out double value);
        switch (kind)
        {
            case CellText.Kind.Number when value != Math.Floor(value):
                _firstFraction ??= value;
                break;
            case CellText.Kind.Number:
                break;
            case CellText.Kind.Text:
                _firstText ??= (line, cell.ToString());
                value = double.NaN;
                break;
            case CellText.Kind.Empty:
                throw new DataFormatException(_file, line, _name, "the target cell is empty; a row without a target can only be dropped");
            default:
                throw new DataFormatException(_file, line, _name, CellText.Explain(kind, cell));
        }
        _values.Add(value);
        _textIndices.Add(IndexOf(cell, value));
    }

    /// <summary>
    /// Builds the dataset: the given task, or the one the target's cells suggest; with <paramref name="classNames"/>, the
    /// target holds indices into them (scikit-learn's layout). <paramref name="layout"/> describes how the file was read.
    /// </summary>
    public TabularData Build(ImmutableArray<float> features, ImmutableArray<string> featureNames, TaskKind? task, IReadOnlyList<string>? classNames, string layout)
    {
        if (classNames is not null)
        {
            return IndexedClasses(features, featureNames, classNames, layout);
        }
        (TaskKind chosen, string reason) = task is TaskKind given
            ? (given, $"the task was given as {given.ToString().ToLowerInvariant()}")
            : Detect();
        var description = new DataDescription(_name, _file, reason, layout);
        return chosen == TaskKind.Regression
            ? TabularData.ForRegression(features, featureNames, Values(), description)
            : Classes(features, featureNames, description);
    }

    /// <summary>Classification with the class names given, each target cell a whole-number index into them.</summary>
    private TabularData IndexedClasses(ImmutableArray<float> features, ImmutableArray<string> featureNames, IReadOnlyList<string> classNames, string layout)
    {
        var labels = new int[_values.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            double value = _values[i];
            if (!(value >= 0 && value < classNames.Count && value == Math.Floor(value)))
            {
                throw new DataFormatException(_file, null, _name,
                    $"row {i + 1} holds {Number(value)}, not a class index from 0 to {classNames.Count - 1} as the first line's {classNames.Count} class names need");
            }
            labels[i] = (int)value;
        }
        var description = new DataDescription(_name, _file, $"the first line names {classNames.Count} classes, so the task is classification", layout);
        return TabularData.ForClassification(features, featureNames, ImmutableCollectionsMarshal.AsImmutableArray(labels), [.. classNames], description);
    }

    private (TaskKind Task, string Reason) Detect()
    {
        if (_firstText is (int line, string text))
        {
            return (TaskKind.Classification,
                $"the target '{_name}' holds text such as {CellText.Show(text)} (line {Number(line)}), so the task is classification");
        }
        if (_firstFraction is double fraction)
        {
            return (TaskKind.Regression,
                $"the target '{_name}' holds fractional numbers such as {Number(fraction)}, so the task is regression");
        }
        int distinct = _values.Distinct().Take(CsvDataLoader.MaxAutoClasses + 1).Count();
        return distinct <= CsvDataLoader.MaxAutoClasses
            ? (TaskKind.Classification,
                $"the target '{_name}' holds {Number(distinct)} distinct whole numbers (at most {Number(CsvDataLoader.MaxAutoClasses)}), so the task is classification")
            : (TaskKind.Regression,
                $"the target '{_name}' holds more than {Number(CsvDataLoader.MaxAutoClasses)} distinct whole numbers, so the task is regression");
    }

    private ImmutableArray<float> Values()
    {
        if (_firstText is (int line, string text))
        {
            throw new DataFormatException(_file, line, _name, $"{CellText.Show(text)} is not a number, and the task is regression");
        }
        var targets = new float[_values.Count];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = (float)_values[i];
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(targets);
    }

    /// <summary>Maps labels to class indices: by numeric value when every label is a number, else by ordinal text order.</summary>
    private TabularData Classes(ImmutableArray<float> features, ImmutableArray<string> featureNames, DataDescription description)
    {
        if (_tooManyTexts)
        {
            throw new DataFormatException(_file, null, _name,
                $"the target has more than {Number(CsvDataLoader.MaxClasses)} distinct labels, too many classes (is it a regression target?)");
        }
        (int[] classOfText, string[] classNames) = _firstText is null ? NumericClasses() : TextClasses();
        if (classNames.Length < 2)
        {
            throw new DataFormatException(_file, null, _name,
                $"every row has the same label {CellText.Show(classNames[0])}; classification needs at least two classes");
        }
        var labels = new int[_textIndices.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = classOfText[_textIndices[i]];
        }
        return TabularData.ForClassification(
            features, featureNames, ImmutableCollectionsMarshal.AsImmutableArray(labels), [.. classNames], description);
    }

    /// <summary>Classes in ascending numeric order; texts of equal value ("1", "1.0") share a class named by the first one seen.</summary>
    private (int[] ClassOfText, string[] Names) NumericClasses()
    {
        double[] values = [.. _textValues.Distinct().Order()];
        string[] names = new string[values.Length];
        int[] classOfText = new int[_texts.Count];
        for (int text = 0; text < _texts.Count; text++)
        {
            int index = Array.BinarySearch(values, _textValues[text]);
            names[index] ??= _texts[text];
            classOfText[text] = index;
        }
        return (classOfText, names);
    }

    /// <summary>Classes in ordinal order of their label text.</summary>
    private (int[] ClassOfText, string[] Names) TextClasses()
    {
        string[] names = [.. _texts.Order(StringComparer.Ordinal)];
        int[] classOfText = new int[_texts.Count];
        for (int text = 0; text < _texts.Count; text++)
        {
            classOfText[text] = Array.BinarySearch(names, _texts[text], StringComparer.Ordinal);
        }
        return (classOfText, names);
    }

    /// <summary>The index of the cell's text among the distinct texts, adding it when new; -1 once there are too many to be classes.</summary>
    private int IndexOf(ReadOnlySpan<char> cell, double value)
    {
        var lookup = _textIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(cell, out int index))
        {
            return index;
        }
        if (_texts.Count == CsvDataLoader.MaxClasses)
        {
            _tooManyTexts = true;
            return -1;
        }
        string text = cell.ToString();
        _textIndex.Add(text, _texts.Count);
        _texts.Add(text);
        _textValues.Add(value);
        return _texts.Count - 1;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
