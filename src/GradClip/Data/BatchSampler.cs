using System.Collections.Immutable;

namespace GradClip.Data;

/// <summary>Deals a set of rows into shuffled mini-batches, a new order every epoch, the same orders for the same seed.</summary>
/// <remarks>
/// Each epoch's order comes from the seed and the epoch number alone, so epoch 7 can be replayed (after resuming from
/// a checkpoint, say) without drawing epochs 0–6 first. Every row is in exactly one batch per epoch; all batches have
/// <see cref="BatchSize"/> rows but the last, which holds the remainder.
/// </remarks>
public sealed class BatchSampler
{
    private readonly ImmutableArray<int> _rows;
    private readonly int _seed;

    /// <summary>A sampler over <paramref name="rows"/> (e.g. <see cref="DataSplit.TrainRows"/>) in batches of <paramref name="batchSize"/>.</summary>
    public BatchSampler(ImmutableArray<int> rows, int batchSize, int seed)
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
        _seed = seed;
        BatchSize = batchSize;
    }

    /// <summary>The number of rows in every batch but possibly the last.</summary>
    public int BatchSize { get; }

    /// <summary>The number of batches per epoch: rows ÷ batch size, rounded up.</summary>
    public int BatchCount => (_rows.Length + BatchSize - 1) / BatchSize;

    /// <summary>The batches of epoch <paramref name="epoch"/> (from 0): row indices, one shuffled order cut into consecutive pieces.</summary>
    public IEnumerable<ReadOnlyMemory<int>> Epoch(int epoch)
    {
        if (epoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"epoch must not be negative, but was {epoch}.");
        }
        int[] order = [.. _rows];
        new Random(EpochSeed(_seed, epoch)).Shuffle(order);
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

    /// <summary>A well-mixed non-negative seed from the sampler's seed and the epoch (SplitMix64's finalizer), so nearby pairs give unrelated orders.</summary>
    private static int EpochSeed(int seed, int epoch)
    {
        ulong z = ((ulong)(uint)seed << 32) | (uint)epoch;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z >> 33);
    }
}
