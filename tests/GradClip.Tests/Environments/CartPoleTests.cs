using GradClip.Environments;
using GradClip.Randomness;

namespace GradClip.Tests.Environments;

public class CartPoleTests
{
    [Fact]
    public void One_step_from_rest_upright_follows_the_equations_by_hand()
    {
        // θ = 0: sin 0 = 0, cos 0 = 1. temp = F / (m_c + m_p) = 10 / 1.1 = 9.0909…
        // θ̈ = (0 − temp) / (0.5 · (4/3 − 0.1/1.1)) = −9.0909 / 0.62121… = −14.6341…
        // ẍ = temp − 0.05 · θ̈ / 1.1 = 9.0909 + 0.66518 = 9.7561…
        // Euler: x and θ keep their values (velocities were 0); ẋ = 0.02 · ẍ, θ̇ = 0.02 · θ̈.
        var next = CartPole.Next(new CartPoleState(0, 0, 0, 0), 10);

        double temp = 10 / 1.1;
        double thetaAcc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1));
        Assert.Equal(-14.634146341463415, thetaAcc, 12);
        Assert.Equal(0, next.X);
        Assert.Equal(0, next.Theta);
        Assert.Equal(0.02 * (temp - 0.05 * thetaAcc / 1.1), next.XDot, 12);
        Assert.Equal(0.195121951219512, next.XDot, 12);
        Assert.Equal(-0.292682926829268, next.ThetaDot, 12);
    }

    [Fact]
    public void A_leaning_moving_pole_steps_as_computed_by_hand()
    {
        // s = (0.1, 0.5, 0.05, −0.2), F = −10. sin 0.05 = 0.0499792, cos 0.05 = 0.9987503.
        // temp = (−10 + 0.05 · 0.04 · 0.0499792) / 1.1 = −9.0908182
        // θ̈ = (9.8 · 0.0499792 + 0.9987503 · 9.0908182) / (0.5 · (4/3 − 0.1 · 0.9975021 / 1.1)) = 9.5691984 / 0.6213377 = 15.4009…
        var s = new CartPoleState(0.1, 0.5, 0.05, -0.2);
        var next = CartPole.Next(s, -10);

        double sin = Math.Sin(0.05), cos = Math.Cos(0.05);
        double temp = (-10 + 0.05 * 0.04 * sin) / 1.1;
        double thetaAcc = (9.8 * sin - cos * temp) / (0.5 * (4.0 / 3.0 - 0.1 * cos * cos / 1.1));
        Assert.Equal(15.4009, thetaAcc, 3);
        Assert.Equal(0.1 + 0.02 * 0.5, next.X, 12);
        Assert.Equal(0.05 + 0.02 * -0.2, next.Theta, 12);
        Assert.Equal(0.5 + 0.02 * (temp - 0.05 * thetaAcc * cos / 1.1), next.XDot, 12);
        Assert.Equal(-0.2 + 0.02 * thetaAcc, next.ThetaDot, 12);
    }

    [Fact]
    public void An_episode_ends_when_the_pole_passes_twelve_degrees()
    {
        var env = new CartPole();
        env.Reset(new CartPoleState(0, 0, 0.2, 0.5));

        var (reward, done) = env.Step(1);

        Assert.Equal(1, reward);
        Assert.True(done);
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
    }

    [Fact]
    public void An_episode_ends_when_the_cart_leaves_the_track()
    {
        var env = new CartPole();
        env.Reset(new CartPoleState(2.399, 1, 0, 0));

        Assert.True(env.Step(0).Done);
        Assert.True(env.State.X > CartPole.XLimit);
    }

    [Fact]
    public void Alternating_pushes_balance_the_pole_until_the_500_step_cut_off()
    {
        var env = new CartPole();
        env.Reset(new CartPoleState(0, 0, 0, 0));
        int steps = 0;
        bool done = false;
        while (!done)
        {
            // Push toward the side the pole leans to: the classic hand-written controller.
            done = env.Step(env.State.Theta + 0.5 * env.State.ThetaDot > 0 ? 1 : 0).Done;
            steps++;
        }

        Assert.Equal(CartPole.MaxSteps, steps);
    }

    [Fact]
    public void Resets_draw_small_states_from_the_generator_reproducibly()
    {
        var a = new CartPole().Reset(new Generator(3));
        var b = new CartPole().Reset(new Generator(3));

        Assert.Equal(a, b);
        Assert.All(new[] { a.X, a.XDot, a.Theta, a.ThetaDot }, v => Assert.InRange(v, -0.05, 0.05));
        Assert.NotEqual(a, new CartPole().Reset(new Generator(4)));
    }
}
