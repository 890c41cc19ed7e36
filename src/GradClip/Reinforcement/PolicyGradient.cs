using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Reinforcement;

/// <summary>
/// REINFORCE with a baseline (Williams 1992; Sutton &amp; Barto, <i>Reinforcement Learning</i>, 2nd ed., §13.4): the
/// discounted return from each step on, its advantage over a baseline, and the loss whose gradient is the policy gradient.
/// </summary>
public static class PolicyGradient
{
    /// <summary>The discounted return from each step to the episode's end: G_t = r_t + γ·G_{t+1}, accumulated in double.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="discount"/> is not in [0, 1].</exception>
    public static double[] ReturnsToGo(ReadOnlySpan<double> rewards, double discount)
    {
        if (!(discount >= 0 && discount <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(discount), discount, "The discount must be in [0, 1].");
        }
        var returns = new double[rewards.Length];
        double following = 0;
        for (int t = rewards.Length - 1; t >= 0; t--)
        {
            following = rewards[t] + discount * following;
            returns[t] = following;
        }
        return returns;
    }

    /// <summary>
    /// The advantage of every step of <paramref name="episodes"/>, episode after episode: its return-to-go less the baseline,
    /// the mean return-to-go over all the steps. Not divided by their spread, so that long episodes give large gradients.
    /// </summary>
    public static float[] Advantages(IReadOnlyList<Episode> episodes, double discount)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var returns = episodes.SelectMany(e => ReturnsToGo(e.Rewards, discount)).ToArray();
        double baseline = returns.Length == 0 ? 0 : returns.Average();
        return [.. returns.Select(g => (float)(g - baseline))];
    }

    /// <summary>
    /// The REINFORCE loss of the policy's <paramref name="logits"/> (one row per step) for the <paramref name="actions"/>
    /// taken: −Σ_t log π(a_t | s_t)·A_t over all steps, divided by the number of <paramref name="episodes"/>. Its gradient
    /// is the policy gradient's estimate, negated; the loss itself need not fall as the policy improves.
    /// </summary>
    /// <exception cref="ArgumentException">The logits, actions and advantages disagree on the number of steps, or <paramref name="episodes"/> is below 1.</exception>
    public static Tensor Loss(Tensor logits, ReadOnlySpan<int> actions, float[] advantages, int episodes)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(advantages);
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        if (advantages.Length != actions.Length)
        {
            throw new ArgumentException($"{actions.Length} actions but {advantages.Length} advantages.", nameof(advantages));
        }
        var negativeLogProbabilities = Tensor.CrossEntropy(logits, actions, Reduction.None);
        return negativeLogProbabilities.Mul(Tensor.FromArray(advantages, advantages.Length)).Sum().Div(episodes);
    }
}
