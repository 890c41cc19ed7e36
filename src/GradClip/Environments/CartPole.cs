using GradClip.Randomness;

namespace GradClip.Environments;

/// <summary>
/// The cart-pole balancing task of Barto, Sutton &amp; Anderson (1983), "Neuronlike adaptive elements that can solve difficult
/// learning control problems", with the constants and limits of Gym's <c>CartPole-v1</c>: a pole hinged on a cart that a
/// force of ±10 N pushes left or right every 0.02 s (Euler steps of the frictionless equations of motion); the episode
/// ends when the pole leans more than 12° or the cart leaves ±2.4 m, or is cut off after 500 steps. Every step, the last
/// one included, earns a reward of 1, so an episode's return is its length.
/// </summary>
public sealed class CartPole
{
    /// <summary>Gravity, m/s².</summary>
    public const double Gravity = 9.8;

    /// <summary>The cart's mass, kg.</summary>
    public const double CartMass = 1.0;

    /// <summary>The pole's mass, kg.</summary>
    public const double PoleMass = 0.1;

    /// <summary>Half the pole's length, m (the distance from the hinge to its centre of mass).</summary>
    public const double HalfPoleLength = 0.5;

    /// <summary>The magnitude of the force each action applies, N.</summary>
    public const double ForceMagnitude = 10.0;

    /// <summary>The time step, s.</summary>
    public const double TimeStep = 0.02;

    /// <summary>The angle beyond which the episode fails: 12°, in radians.</summary>
    public const double ThetaLimit = 12 * 2 * Math.PI / 360;

    /// <summary>The cart position beyond which the episode fails, m.</summary>
    public const double XLimit = 2.4;

    /// <summary>The steps after which an episode is cut off (CartPole-v1).</summary>
    public const int MaxSteps = 500;

    /// <summary>The number of observations: x, ẋ, θ, θ̇.</summary>
    public const int ObservationSize = 4;

    /// <summary>The number of actions: push left (0) or right (1).</summary>
    public const int ActionCount = 2;

    private const double TotalMass = CartMass + PoleMass;
    private const double PoleMassLength = PoleMass * HalfPoleLength;

    /// <summary>The current state.</summary>
    public CartPoleState State { get; private set; }

    /// <summary>The steps taken since the last reset.</summary>
    public int Steps { get; private set; }

    /// <summary>Whether the episode has ended (failed or cut off); <see cref="Step"/> then needs a reset.</summary>
    public bool Done { get; private set; } = true;

    /// <summary>Starts an episode: every state variable drawn uniformly from [−0.05, 0.05) by <paramref name="generator"/>, x first.</summary>
    public CartPoleState Reset(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        double Draw() => -0.05 + 0.1 * generator.NextDouble();
        double x = Draw(), xDot = Draw(), theta = Draw(), thetaDot = Draw();
        return Reset(new CartPoleState(x, xDot, theta, thetaDot));
    }

    /// <summary>Starts an episode from <paramref name="state"/>.</summary>
    public CartPoleState Reset(CartPoleState state)
    {
        State = state;
        Steps = 0;
        Done = false;
        return state;
    }

    /// <summary>Pushes the cart left (action 0) or right (1) for one time step; returns the reward (1) and whether the episode ended.</summary>
    /// <exception cref="InvalidOperationException">The episode has ended (or was never started).</exception>
    public (double Reward, bool Done) Step(int action)
    {
        if (Done)
        {
            throw new InvalidOperationException("The episode has ended: call Reset before the next Step.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(action);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(action, ActionCount - 1);
        State = Next(State, action == 1 ? ForceMagnitude : -ForceMagnitude);
        Steps++;
        Done = Math.Abs(State.X) > XLimit || Math.Abs(State.Theta) > ThetaLimit || Steps >= MaxSteps;
        return (1.0, Done);
    }

    /// <summary>One Euler step of the equations of motion (Barto et al. 1983, without friction) under <paramref name="force"/>.</summary>
    public static CartPoleState Next(CartPoleState s, double force)
    {
        double cos = Math.Cos(s.Theta);
        double sin = Math.Sin(s.Theta);
        double temp = (force + PoleMassLength * s.ThetaDot * s.ThetaDot * sin) / TotalMass;
        double thetaAcc = (Gravity * sin - cos * temp) / (HalfPoleLength * (4.0 / 3.0 - PoleMass * cos * cos / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cos / TotalMass;
        return new CartPoleState(
            s.X + TimeStep * s.XDot,
            s.XDot + TimeStep * xAcc,
            s.Theta + TimeStep * s.ThetaDot,
            s.ThetaDot + TimeStep * thetaAcc);
    }
}
