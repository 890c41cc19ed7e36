using GradClip.Reinforcement;
using GradClip.Tensors;

namespace GradClip.Tests.Reinforcement;

public class PolicyGradientTests
{
    [Fact]
    public void Returns_to_go_discount_each_later_reward_as_computed_by_hand()
    {
        // γ = 0.5: G_2 = 4; G_1 = 2 + 0.5·4 = 4; G_0 = 1 + 0.5·4 = 3.
        Assert.Equal([3.0, 4.0, 4.0], PolicyGradient.ReturnsToGo([1, 2, 4], 0.5));
        // γ = 1 counts every step's reward of 1: the steps left.
        Assert.Equal([3.0, 2.0, 1.0], PolicyGradient.ReturnsToGo([1, 1, 1], 1));
        Assert.Empty(PolicyGradient.ReturnsToGo([], 0.9));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_discount_outside_0_to_1_is_refused(double discount) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyGradient.ReturnsToGo([1], discount));

    [Fact]
    public void Advantages_are_the_returns_to_go_less_their_mean_over_every_step_of_the_batch()
    {
        // γ = 1: episode A (rewards 1, 1) has returns-to-go 2, 1; episode B (1) has 1. Mean 4/3.
        var episodes = new[] { Episode([1, 1]), Episode([1]) };

        float[] advantages = PolicyGradient.Advantages(episodes, 1);

        Assert.Equal([(float)(2 - 4.0 / 3), (float)(1 - 4.0 / 3), (float)(1 - 4.0 / 3)], advantages);
    }

    [Fact]
    public void The_loss_and_its_gradient_match_the_policy_gradient_by_hand()
    {
        // Two steps of two episodes; step 0: logits (0, 0), action 1, advantage 2; step 1: logits (ln 3, 0), action 0, advantage −1.
        // π(1 | s0) = 1/2, π(0 | s1) = 3/4. Loss = (−ln(1/2)·2 − ln(3/4)·(−1)) / 2 = (2 ln 2 + ln(3/4)) / 2.
        // ∂L/∂z_{t,k} = A_t·(π_k − [k = a_t]) / E: step 0 → 2·(1/2, −1/2)/2 = (0.5, −0.5); step 1 → −1·(−1/4, 1/4)/2 = (0.125, −0.125).
        var logits = Tensor.FromArray([0f, 0f, MathF.Log(3), 0f], 2, 2);
        logits.RequiresGrad = true;

        var loss = PolicyGradient.Loss(logits, [1, 0], [2f, -1f], episodes: 2);
        loss.Backward();

        Assert.Equal((2 * Math.Log(2) + Math.Log(0.75)) / 2, loss.Item(), 5);
        float[] gradient = logits.Grad!.ToArray();
        Assert.Equal([0.5f, -0.5f, 0.125f, -0.125f], gradient, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void The_loss_gradient_agrees_with_finite_differences()
    {
        float[] values = [0.3f, -1.2f, 2.0f, 0.5f, -0.7f, 0.1f];
        int[] actions = [1, 0, 1];
        float[] advantages = [1.5f, -0.5f, 3f];
        var logits = Tensor.FromArray((float[])values.Clone(), 3, 2);
        logits.RequiresGrad = true;
        PolicyGradient.Loss(logits, actions, advantages, episodes: 3).Backward();
        float[] gradient = logits.Grad!.ToArray();

        for (int i = 0; i < values.Length; i++)
        {
            double Loss(float delta)
            {
                float[] shifted = (float[])values.Clone();
                shifted[i] += delta;
                return PolicyGradient.Loss(Tensor.FromArray(shifted, 3, 2), actions, advantages, episodes: 3).Item();
            }
            double numeric = (Loss(1e-2f) - Loss(-1e-2f)) / 2e-2;
            Assert.Equal(numeric, gradient[i], 3);
        }
    }

    [Fact]
    public void Actions_are_drawn_by_their_softmax_share_counting_from_action_0()
    {
        float[] even = [0, 0];
        float[] leftLikely = [MathF.Log(3), 0];

        Assert.Equal(0, Rollout.Sample(even, 0.49));
        Assert.Equal(1, Rollout.Sample(even, 0.51));
        Assert.Equal(0, Rollout.Sample(leftLikely, 0.74));
        Assert.Equal(1, Rollout.Sample(leftLikely, 0.76));
    }

    private static Episode Episode(double[] rewards) =>
        new(new float[rewards.Length * 4], new int[rewards.Length], rewards);
}
