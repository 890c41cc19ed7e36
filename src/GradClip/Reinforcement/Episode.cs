namespace GradClip.Reinforcement;

/// <summary>One episode an agent played: what it observed before each action, the action it took, and the reward it got.</summary>
/// <param name="Observations">The observation before each step, row after row: <c>Actions.Length × ObservationSize</c> values.</param>
/// <param name="Actions">The action taken at each step.</param>
/// <param name="Rewards">The reward after each step.</param>
public sealed record Episode(float[] Observations, int[] Actions, double[] Rewards)
{
    /// <summary>The number of steps.</summary>
    public int Length => Actions.Length;

    /// <summary>The undiscounted return: the sum of the rewards (on CartPole, the steps the pole stayed up).</summary>
    public double Return => Rewards.Sum();
}
