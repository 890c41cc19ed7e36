using System.Numerics.Tensors;

namespace GradClip.Distributed;

/// <summary>
/// A batch's K micro-shards spread over the ranks in contiguous blocks, and the one pairwise tree that adds their vectors:
/// node [lo, hi) is [lo, mid) + [mid, hi) with mid = (lo + hi) / 2. Each rank adds the largest subtrees inside its block,
/// the ranks gather those, and every rank completes the same tree: the sum has the same bits for any rank count.
/// </summary>
internal sealed class ShardTree
{
    // Where each rank's subtrees lie in the gathered buffer: rank · MaxNodes + the subtree's place in the rank's list.
    private readonly Dictionary<(int Lo, int Hi), int> _gatheredIndex = [];

    /// <summary>A tree over <paramref name="shards"/> leaves, split over <paramref name="ranks"/> ranks.</summary>
    public ShardTree(int shards, int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        (Shards, Ranks) = (shards, ranks);
        var nodes = Enumerable.Range(0, ranks).Select(NodesOf).ToList();
        MaxNodes = nodes.Max(n => n.Count);
        for (int rank = 0; rank < ranks; rank++)
        {
            for (int slot = 0; slot < nodes[rank].Count; slot++)
            {
                _gatheredIndex[nodes[rank][slot]] = rank * MaxNodes + slot;
            }
        }
    }

    /// <summary>The number of leaves K.</summary>
    public int Shards { get; }

    /// <summary>The number of ranks.</summary>
    public int Ranks { get; }

    /// <summary>The most subtrees any rank contributes.</summary>
    public int MaxNodes { get; }

    /// <summary>Part <paramref name="index"/> of <paramref name="total"/> items cut into <paramref name="parts"/> parts at floor(i·total/parts).</summary>
    public static (int Start, int End) Part(int index, int parts, int total) =>
        ((int)((long)index * total / parts), (int)((long)(index + 1) * total / parts));

    /// <summary>The micro-shards rank <paramref name="rank"/> computes: a contiguous block, possibly empty.</summary>
    public (int Start, int End) ShardsOf(int rank) => Part(rank, Ranks, Shards);

    /// <summary>The largest subtrees of the tree inside the block of <paramref name="rank"/>, left to right.</summary>
    public List<(int Lo, int Hi)> NodesOf(int rank)
    {
        var (start, end) = ShardsOf(rank);
        var nodes = new List<(int Lo, int Hi)>();
        void Cover(int lo, int hi)
        {
            if (hi <= start || lo >= end)
            {
                return;
            }
            if (lo >= start && hi <= end)
            {
                nodes.Add((lo, hi));
                return;
            }
            int mid = (lo + hi) / 2;
            Cover(lo, mid);
            Cover(mid, hi);
        }
        Cover(0, Shards);
        return nodes;
    }

    /// <summary>
    /// The tree's sum of the leaves' vectors (each <paramref name="width"/> long), where <paramref name="leaf"/> fills the
    /// vector of a micro-shard of this rank's block. A collective: every rank calls it and gets the same bits.
    /// </summary>
    public float[] Reduce(int width, Action<int, Span<float>> leaf, ICommunicator communicator)
    {
        if (communicator.Size != Ranks)
        {
            throw new ArgumentException($"The tree is split over {Ranks} ranks, but the communicator has {communicator.Size}.", nameof(communicator));
        }
        var mine = NodesOf(communicator.Rank);
        var send = new float[MaxNodes * width];
        for (int slot = 0; slot < mine.Count; slot++)
        {
            Sum(mine[slot].Lo, mine[slot].Hi, send.AsSpan(slot * width, width), (lo, hi, into) =>
            {
                if (hi - lo > 1)
                {
                    return false;
                }
                leaf(lo, into);
                return true;
            });
        }
        var all = new float[Ranks * MaxNodes * width];
        communicator.AllGather(send, all);
        var total = new float[width];
        Sum(0, Shards, total, (lo, hi, into) =>
        {
            if (!_gatheredIndex.TryGetValue((lo, hi), out int index))
            {
                return false;
            }
            all.AsSpan(index * width, width).CopyTo(into);
            return true;
        });
        return total;
    }

    /// <summary>Fills a node's value into <paramref name="into"/>: from <paramref name="known"/> when it has it, else as the sum of its halves.</summary>
    private static void Sum(int lo, int hi, Span<float> into, KnownNode known)
    {
        if (known(lo, hi, into))
        {
            return;
        }
        int mid = (lo + hi) / 2;
        Sum(lo, mid, into, known);
        var right = new float[into.Length];
        Sum(mid, hi, right, known);
        TensorPrimitives.Add(into, right, into);
    }

    /// <summary>Writes node [lo, hi)'s value into the span and returns true, or returns false when it must be added from its halves.</summary>
    private delegate bool KnownNode(int lo, int hi, Span<float> into);
}
