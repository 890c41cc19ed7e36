namespace GradClip.Distributed;

/// <summary>How <see cref="ICommunicator.AllReduce(Span{float}, ReduceOp)"/> combines the ranks' elements.</summary>
public enum ReduceOp
{
    /// <summary>The sum, added in rank order.</summary>
    Sum,

    /// <summary>The largest; NaN when any rank holds NaN.</summary>
    Max,
}
