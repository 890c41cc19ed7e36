using GradClip.Environments;
using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Reinforcement;

/// <summary>Plays episodes of CartPole with a policy network, drawing its actions from the run's generator.</summary>
public static class Rollout
{
    /// <summary>
    /// Plays one episode: the start drawn by <paramref name="generator"/>, then at each step an action drawn from the
    /// softmax of the <paramref name="policy"/>'s logits for the observation (x, ẋ, θ, θ̇), until the episode ends.
    /// Records no gradients.
    /// </summary>
    public static Episode Play(Module<Tensor, Tensor> policy, CartPole environment, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(generator);
        var observations = new List<float>();
        var actions = new List<int>();
        var rewards = new List<double>();
        var state = environment.Reset(generator);
        using (Tensor.NoGrad())
        {
            bool done = false;
            while (!done)
            {
                float[] observation = [(float)state.X, (float)state.XDot, (float)state.Theta, (float)state.ThetaDot];
                observations.AddRange(observation);
                int action = Sample(policy.Forward(Tensor.FromArray(observation, 1, CartPole.ObservationSize)).Span, generator.NextDouble());
                actions.Add(action);
                (double reward, done) = environment.Step(action);
                rewards.Add(reward);
                state = environment.State;
            }
        }
        return new Episode([.. observations], [.. actions], [.. rewards]);
    }

    /// <summary>The action whose share of the softmax of <paramref name="logits"/> covers <paramref name="uniform"/> (in [0, 1)), counting from action 0.</summary>
    public static int Sample(ReadOnlySpan<float> logits, double uniform)
    {
        double max = double.NegativeInfinity;
        foreach (float logit in logits)
        {
            max = Math.Max(max, logit);
        }
        double total = 0;
        foreach (float logit in logits)
        {
            total += Math.Exp(logit - max);
        }
        double cumulative = 0;
        for (int action = 0; action < logits.Length - 1; action++)
        {
            cumulative += Math.Exp(logits[action] - max) / total;
            if (uniform < cumulative)
            {
                return action;
            }
        }
        return logits.Length - 1;
    }
}
