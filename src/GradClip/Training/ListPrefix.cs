using System.Collections;

namespace GradClip.Training;

/// <summary>
/// The first <c>count</c> items of a list that only grows, without copying them: a checkpoint's records, so that taking a
/// checkpoint costs the same late in a run as early.
/// </summary>
internal sealed class ListPrefix<T>(IReadOnlyList<T> list, int count) : IReadOnlyList<T>
{
    /// <inheritdoc/>
    public int Count => count;

    /// <inheritdoc/>
    public T this[int index] => (uint)index < (uint)count ? list[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator()
    {
        for (int i = 0; i < count; i++)
        {
            yield return list[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
