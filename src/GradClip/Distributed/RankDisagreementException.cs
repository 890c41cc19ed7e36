namespace GradClip.Distributed;

/// <summary>
/// Ranks computed different bits for what must be identical on all of them (the clipped gradient's norm and coefficient):
/// their replicas would drift apart, so the run stops instead.
/// </summary>
public sealed class RankDisagreementException : Exception
{
    /// <summary>Creates the exception naming the ranks that differ from rank 0.</summary>
    public RankDisagreementException(string message, IReadOnlyList<int> ranks)
        : base(message) => Ranks = ranks;

    /// <summary>The ranks whose figures differ from rank 0's.</summary>
    public IReadOnlyList<int> Ranks { get; }
}
