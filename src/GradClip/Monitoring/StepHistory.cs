using System.Collections;

namespace GradClip.Monitoring;

/// <summary>
/// Step records kept column-wise (one array per figure, the per-parameter norms one row of doubles per step under names
/// shared by every step that has the same ones), so that a run of a million steps holds about a hundred bytes a step
/// instead of a record, a dictionary and a list each. Reading a step builds its <see cref="StepRecord"/> again, equal to
/// the one added.
/// </summary>
public sealed class StepHistory : IReadOnlyList<StepRecord>
{
    private readonly List<int> _epochs = [];
    private readonly List<int> _steps = [];
    private readonly List<double> _figures = [];
    private readonly List<byte> _flags = [];
    private readonly List<double> _norms = [];
    private readonly List<int> _normStarts = [];
    private readonly List<string[]> _nameSets = [];
    private readonly List<int> _nameSetOf = [];
    private readonly Dictionary<int, IReadOnlyList<string>> _nonFinite = [];

    private const int FiguresPerStep = 5;
    private const byte ClippedFlag = 1, SkippedFlag = 2;

    /// <summary>How many steps are held.</summary>
    public int Count => _steps.Count;

    /// <summary>The step at <paramref name="index"/> (0-based), as it was added.</summary>
    public StepRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            int figures = index * FiguresPerStep;
            string[] names = _nameSets[_nameSetOf[index]];
            var norms = new Dictionary<string, double>(names.Length, StringComparer.Ordinal);
            for (int k = 0; k < names.Length; k++)
            {
                norms.Add(names[k], _norms[_normStarts[index] + k]);
            }
            return new StepRecord(_epochs[index], _steps[index], _figures[figures], _figures[figures + 1], _figures[figures + 2],
                _figures[figures + 3], (_flags[index] & ClippedFlag) != 0, (_flags[index] & SkippedFlag) != 0, _figures[figures + 4],
                norms, _nonFinite.GetValueOrDefault(index) ?? []);
        }
    }

    /// <summary>Adds <paramref name="record"/> after the steps held.</summary>
    public void Add(StepRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _epochs.Add(record.Epoch);
        _steps.Add(record.Step);
        _figures.AddRange([record.Loss, record.NormBefore, record.NormAfter, record.Coefficient, record.LearningRate]);
        _flags.Add((byte)((record.Clipped ? ClippedFlag : 0) | (record.Skipped ? SkippedFlag : 0)));
        _normStarts.Add(_norms.Count);
        _nameSetOf.Add(NameSet(record.ParameterNorms));
        foreach (var (_, norm) in record.ParameterNorms)
        {
            _norms.Add(norm);
        }
        if (record.NonFiniteParameters.Count > 0)
        {
            _nonFinite[Count - 1] = [.. record.NonFiniteParameters];
        }
    }

    /// <summary>The steps from <paramref name="start"/> on, as records.</summary>
    public IReadOnlyList<StepRecord> From(int start) => [.. Enumerable.Range(start, Count - start).Select(i => this[i])];

    /// <inheritdoc/>
    public IEnumerator<StepRecord> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The index of the set of names <paramref name="norms"/> has, in its order; the last set is tried first, as steps nearly always share one.</summary>
    private int NameSet(IReadOnlyDictionary<string, double> norms)
    {
        for (int set = _nameSets.Count - 1; set >= 0; set--)
        {
            if (SameNames(_nameSets[set], norms))
            {
                return set;
            }
        }
        _nameSets.Add([.. norms.Keys]);
        return _nameSets.Count - 1;
    }

    private static bool SameNames(string[] names, IReadOnlyDictionary<string, double> norms)
    {
        if (names.Length != norms.Count)
        {
            return false;
        }
        int k = 0;
        foreach (var (name, _) in norms)
        {
            if (!string.Equals(names[k++], name, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
