using GradClip.Clipping;
using GradClip.Kernels;
using GradClip.Tensors;

namespace GradClip.Distributed;

/// <summary>
/// Clipping by the global norm when each rank holds a shard of the parameters (FSDP, tensor parallelism): PyTorch's
/// <c>get_total_norm</c> on the local shard, the power sums reduced over the ranks, then <c>clip_grads_with_norm_</c>.
/// </summary>
/// <remarks>
/// Overflow-safe as <see cref="Clip.TotalNorm"/>: for p other than 1, 2 and ∞ the ranks first agree on max|g| (MAX), then
/// add Σ(|g|/max)^p (SUM), whose terms are at most 1, so p = 20 over values near 1e16 gives the finite norm where Σ|g|^p
/// would overflow double; for p = 1 and 2 the double sums of float32 terms cannot overflow and are added as they are.
/// A NaN anywhere gives NaN, an ∞ anywhere ∞, on every rank.
/// </remarks>
public static class ShardedClip
{
    /// <summary>
    /// The p-norm of the gradients of all ranks together, each rank passing its own (null entries skipped); p = +∞ gives
    /// max |g|. A collective: every rank calls it, and every rank gets the same value.
    /// </summary>
    public static double TotalNorm(IEnumerable<Tensor?> localGradients, double normType, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(localGradients);
        ArgumentNullException.ThrowIfNull(communicator);
        ClipArguments.RequireNormType(normType, nameof(normType));
        var buffers = localGradients.OfType<Tensor>().ToList();
        Span<double> sum = [0];
        if (normType is 1 or 2)
        {
            // Sums of float32 magnitudes and squares in double cannot overflow: no scaling, and the library's exact kernels.
            foreach (var gradient in buffers)
            {
                sum[0] += Reductions.PowerSum(gradient.Span, normType);
            }
            communicator.AllReduce(sum, ReduceOp.Sum);
            return GradientSet.NormOf(sum[0], normType);
        }
        Span<double> max = [0];
        foreach (var gradient in buffers)
        {
            max[0] = Math.Max(max[0], Reductions.MaxAbs(gradient.Span));
        }
        communicator.AllReduce(max, ReduceOp.Max);
        double largest = max[0];
        if (double.IsPositiveInfinity(normType) || !double.IsFinite(largest) || largest == 0)
        {
            return largest;
        }
        foreach (var gradient in buffers)
        {
            sum[0] += Reductions.SumAbsPow(gradient.Span, normType, 1 / largest);
        }
        communicator.AllReduce(sum, ReduceOp.Sum);
        return largest * GradientSet.NormOf(sum[0], normType);
    }

    /// <summary>
    /// <see cref="Clip.GradNorm"/> over every rank's shard of the parameters: scales the local gradients in place by
    /// min(1, maxNorm / (total + 1e-6)) with the global total, and returns that total (measured before clipping).
    /// </summary>
    public static double GradNorm(IReadOnlyList<Tensor> localParameters, double maxNorm, double normType, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(localParameters);
        ClipArguments.RequirePositiveFinite(maxNorm, nameof(maxNorm));
        double total = TotalNorm(localParameters.Select(p => p.Grad), normType, communicator);
        Clip.GradsWithNorm(localParameters, maxNorm, total);
        return total;
    }
}
