using System.Globalization;
using System.Numerics.Tensors;
using GradClip.Distributed;
using GradClip.Kernels;
using GradClip.Monitoring;
using GradClip.Tensors;
using Tensor = GradClip.Tensors.Tensor;

namespace GradClip.Training;

/// <summary>
/// The gradient of one batch computed over the ranks of a communicator: the batch cut into K micro-shards at fixed
/// floor boundaries, each rank computing those of its block, their mean-loss gradients weighted by their share of the batch
/// and added in one fixed pairwise tree (<see cref="ShardTree"/>), so that every rank gets the same bits for any rank count.
/// </summary>
internal sealed class DataParallelStep
{
    private readonly ICommunicator _communicator;
    private readonly ShardTree _tree;
    private readonly IReadOnlyList<(string Name, Tensor Parameter)> _parameters;
    private readonly int _width;
    private (int Shard, int Parameter) _firstNonFinite;

    /// <summary>Splits batches into <paramref name="microShards"/> over the ranks of <paramref name="communicator"/>.</summary>
    public DataParallelStep(ICommunicator communicator, int microShards, IReadOnlyList<(string Name, Tensor Parameter)> parameters)
    {
        _communicator = communicator;
        _tree = new ShardTree(microShards, communicator.Size);
        _parameters = parameters;
        // The gradients of every parameter, then the weighted loss: one vector, so the loss is added by the same tree.
        _width = parameters.Sum(p => p.Parameter.Count) + 1;
    }

    /// <summary>
    /// Where the last step's gradients first held NaN or ±∞ before the reduction (the micro-shard, its rank and the
    /// parameter), or null when they were finite.
    /// </summary>
    public string? NonFiniteOrigin { get; private set; }

    /// <summary>
    /// Computes the batch's gradient into every parameter's Grad (the same bits on every rank) and returns the batch's mean loss.
    /// </summary>
    public double Gradients(TrainingBatches batches, ReadOnlyMemory<int> rows, Func<Batch, Tensor> loss)
    {
        _firstNonFinite = (-1, -1);
        var total = _tree.Reduce(_width, (shard, into) => Leaf(batches, rows, shard, loss, into), _communicator);
        int offset = 0;
        foreach (var (_, parameter) in _parameters)
        {
            parameter.Grad ??= Tensor.Zeros([.. parameter.Shape]);
            total.AsSpan(offset, parameter.Count).CopyTo(parameter.Grad.Span);
            offset += parameter.Count;
        }
        NonFiniteOrigin = ShareNonFiniteOrigin();
        return total[^1];
    }

    /// <summary>
    /// Throws <see cref="RankDisagreementException"/> naming the ranks whose norm or coefficient for <paramref name="record"/>
    /// differ from rank 0's in any bit: every rank must clip the identical gradient identically, or the replicas drift apart.
    /// </summary>
    public void RequireAgreement(StepRecord record)
    {
        Span<double> mine = [record.NormBefore, record.Coefficient];
        var all = new double[2 * _communicator.Size];
        _communicator.AllGather(mine, all);
        var differing = Enumerable.Range(1, _communicator.Size - 1)
            .Where(r => !Same(all[2 * r], all[0]) || !Same(all[2 * r + 1], all[1])).ToList();
        if (differing.Count == 0)
        {
            return;
        }
        string Figures(int rank) => string.Create(CultureInfo.InvariantCulture, $"rank {rank} computed the norm {all[2 * rank]:R} and the coefficient {all[2 * rank + 1]:R}");
        throw new RankDisagreementException(
            $"The ranks disagree at step {record.Step}: {string.Join("; ", differing.Prepend(0).Select(Figures))}. Every rank must clip the identical gradient"
            + $" by the identical coefficient, or the replicas drift apart. Rank{(differing.Count > 1 ? "s" : "")} {string.Join(", ", differing)} likely"
            + " run on CPUs with other vector widths (or DOTNET_EnableAVX2 and the like set differently): train on ranks of one kind of CPU.",
            differing);
    }

    /// <summary>Whether any rank asks to stop: all ranks stop before the same step.</summary>
    public bool AnyStop(bool stop) => _communicator.Any(stop);

    /// <summary>Fills micro-shard <paramref name="shard"/>'s weighted gradients and loss into <paramref name="into"/>; zeros when it has no rows.</summary>
    private void Leaf(TrainingBatches batches, ReadOnlyMemory<int> rows, int shard, Func<Batch, Tensor> loss, Span<float> into)
    {
        into.Clear();
        var (start, end) = ShardTree.Part(shard, _tree.Shards, rows.Length);
        if (start == end)
        {
            return;
        }
        var shardLoss = loss(batches.Take(rows.Span[start..end]));
        shardLoss.Backward();
        // The batch's mean loss is the micro-shards' mean losses weighted by their share of its rows.
        float weight = (float)((double)(end - start) / rows.Length);
        int offset = 0;
        for (int i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i].Parameter;
            if (parameter.Grad is { } grad)
            {
                TensorPrimitives.Multiply(grad.Span, weight, into.Slice(offset, parameter.Count));
                if (_firstNonFinite.Shard < 0 && Reductions.IndexOfNonFinite(grad.Span) >= 0)
                {
                    _firstNonFinite = (shard, i);
                }
            }
            parameter.ZeroGrad();
            offset += parameter.Count;
        }
        into[^1] = weight * shardLoss.Item();
    }

    /// <summary>The first rank's report of a non-finite gradient, gathered so that every rank can name it.</summary>
    private string? ShareNonFiniteOrigin()
    {
        Span<double> mine = [_firstNonFinite.Shard, _firstNonFinite.Parameter];
        var all = new double[2 * _communicator.Size];
        _communicator.AllGather(mine, all);
        for (int rank = 0; rank < _communicator.Size; rank++)
        {
            if (all[2 * rank] >= 0)
            {
                return $"first in micro-shard {(int)all[2 * rank]} on rank {rank}, in {_parameters[(int)all[2 * rank + 1]].Name}, before the reduction";
            }
        }
        return null;
    }

    private static bool Same(double a, double b) =>
        BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));
}
