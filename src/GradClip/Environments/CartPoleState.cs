namespace GradClip.Environments;

/// <summary>The cart-pole's state: cart position (m) and velocity (m/s), pole angle from upright (rad) and angular velocity (rad/s).</summary>
/// <param name="X">The cart's position, 0 at the track's centre.</param>
/// <param name="XDot">The cart's velocity.</param>
/// <param name="Theta">The pole's angle from upright, positive clockwise.</param>
/// <param name="ThetaDot">The pole's angular velocity.</param>
public readonly record struct CartPoleState(double X, double XDot, double Theta, double ThetaDot);
