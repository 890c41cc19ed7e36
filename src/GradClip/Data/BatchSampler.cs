using System.Collections.Immutable;
using GradClip.Randomness;

namespace GradClip.Data;

/// <summary>Deals a set of rows into shuffled mini-batches, a new order every epoch drawn from the run's generator.</summary>
/// <remarks>
/// An epoch's order is a function of the generator's state when the epoch begins, so an epoch can be replayed (after
/// resuming from a checkpoint, say) by setting that state again. Every row is in exactly one batch per epoch; all
/// batches have <see cref="BatchSize"/> rows but the last, which holds the remainder.
/// </remarks>
public sealed class BatchSampler
{
    private readonly ImmutableArray<int> _rows;

    /// <summary>A sampler over <paramref name="rows"/> (e.g. <see cref="DataSplit.TrainRows"/>) in batches of <paramref name="batchSize"/>.</summary>
    public BatchSampler(ImmutableArray<int> rows, int batchSize)
    {
        if (rows.IsDefaultOrEmpty)
        {
            throw new ArgumentException("rows must hold at least one row.", nameof(rows));
        }
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be at least 1, but was {batchSize}.");
        }
        _rows = rows;
        BatchSize = batchSize;
    }

    /// <summary>The number of rows in every batch but possibly the last.</summary>
    public int BatchSize { get; }

    /// <summary>The number of batches per epoch: rows ÷ batch size, rounded up.</summary>
    public int BatchCount => (_rows.Length + BatchSize - 1) / BatchSize;

    /// <summary>The batches of one epoch: row indices, one order shuffled by <paramref name="generator"/> (Fisher–Yates) cut into consecutive pieces.</summary>
    public IEnumerable<ReadOnlyMemory<int>> Epoch(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        int[] order = [.. _rows];
        generator.Shuffle(order);
        return Cut(order);
    }

    /// <summary>Copies the given rows of row-major <paramref name="source"/> (rows of <paramref name="rowWidth"/> values) one after another into <paramref name="destination"/>.</summary>
    /// <remarks>For features pass the feature count as the width; for labels or targets pass 1.</remarks>
    public static void GatherRows<T>(ReadOnlySpan<T> source, int rowWidth, ReadOnlySpan<int> rows, Span<T> destination)
    {
        if (rowWidth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rowWidth), rowWidth, $"rowWidth must be at least 1, but was {rowWidth}.");
        }
        if (destination.Length != rows.Length * rowWidth)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} values but {rows.Length} rows of {rowWidth} need {rows.Length * rowWidth}.",
                nameof(destination));
        }
        int sourceRows = source.Length / rowWidth;
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            if ((uint)row >= (uint)sourceRows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), row, $"rows[{i}] is {row}, outside the {sourceRows} rows of source.");
            }
            source.Slice(row * rowWidth, rowWidth).CopyTo(destination.Slice(i * rowWidth, rowWidth));
        }
    }

    private IEnumerable<ReadOnlyMemory<int>> Cut(int[] order)
    {
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            yield return order.AsMemory(start, Math.Min(BatchSize, order.Length - start));
        }
    }
}
