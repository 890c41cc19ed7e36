namespace GradClip.Autograd;

/// <summary>What one op kind cost in one phase while an <see cref="OpProfiler"/> was open.</summary>
/// <param name="Op">The op's name (an <see cref="Autograd.Op"/>, or AccumulateGrad for leaves).</param>
/// <param name="Phase">"forward" or "backward".</param>
/// <param name="Calls">How many times it ran.</param>
/// <param name="Time">Its total time.</param>
/// <param name="Bytes">The bytes the thread allocated during it.</param>
public sealed record OpProfileEntry(string Op, string Phase, int Calls, TimeSpan Time, long Bytes);
