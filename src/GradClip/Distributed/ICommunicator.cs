namespace GradClip.Distributed;

/// <summary>
/// The ranks of a data- or model-parallel job and their collectives (PyTorch's <c>torch.distributed</c> process group):
/// every rank calls each collective in the same order. Reductions add in rank order, whatever the rank count or the
/// transport, so that their bits are the same on every rank and on every run.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, from 0.</summary>
    int Rank { get; }

    /// <summary>How many ranks the job has.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="buffer"/> on every rank with the element-wise SUM or MAX over all ranks' buffers, combined in rank order.</summary>
    void AllReduce(Span<float> buffer, ReduceOp op);

    /// <summary>Replaces <paramref name="buffer"/> on every rank with the element-wise SUM or MAX over all ranks' buffers, combined in rank order.</summary>
    void AllReduce(Span<double> buffer, ReduceOp op);

    /// <summary>Fills <paramref name="all"/> (Size × the length of <paramref name="mine"/>) with every rank's <paramref name="mine"/>, in rank order.</summary>
    void AllGather(ReadOnlySpan<float> mine, Span<float> all);

    /// <summary>Fills <paramref name="all"/> (Size × the length of <paramref name="mine"/>) with every rank's <paramref name="mine"/>, in rank order.</summary>
    void AllGather(ReadOnlySpan<double> mine, Span<double> all);

    /// <summary>Waits until every rank has called it.</summary>
    void Barrier();

    /// <summary>Whether any rank passed true: a collective stop flag, so that all ranks stop at the same step.</summary>
    bool Any(bool flag);

    /// <summary>Ends every rank of the job at once with <paramref name="exitCode"/>: what a rank does when it fails alone.</summary>
    void Abort(int exitCode);
}
