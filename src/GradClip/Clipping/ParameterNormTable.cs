using System.Collections;
using System.Collections.ObjectModel;

namespace GradClip.Clipping;

/// <summary>
/// Per-parameter norms by label, in parameter order, over a label array that successive steps share: a step's report
/// then costs one array of norms, not a dictionary of its own.
/// </summary>
/// <remarks>Lookups scan the labels, which is faster than hashing for the handfuls of parameters a model has and still fine for hundreds.</remarks>
internal sealed class ParameterNormTable(ReadOnlyCollection<string> labels, double[] norms) : IReadOnlyDictionary<string, double>
{
    /// <inheritdoc/>
    public int Count => labels.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => labels;

    /// <inheritdoc/>
    public IEnumerable<double> Values => Array.AsReadOnly(norms);

    /// <inheritdoc/>
    public double this[string key] => TryGetValue(key, out double norm) ? norm : throw new KeyNotFoundException($"No parameter is labelled '{key}'.");

    /// <inheritdoc/>
    public bool ContainsKey(string key) => labels.IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, out double value)
    {
        int index = labels.IndexOf(key);
        value = index >= 0 ? norms[index] : 0;
        return index >= 0;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (int i = 0; i < labels.Count; i++)
        {
            yield return KeyValuePair.Create(labels[i], norms[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
