namespace GradClip.Optim;

/// <summary>Argument checks shared by the optimizers and schedules; each throws naming the argument and its value.</summary>
internal static class OptimArguments
{
    /// <summary>Throws unless <paramref name="value"/> is ≥ 0 (NaN fails).</summary>
    public static void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be greater than or equal to zero.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [0, 1) (NaN fails), as an Adam beta must.</summary>
    public static void RequireBeta(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be at least zero and less than one.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [0, 1] (NaN fails).</summary>
    public static void RequireUnitInterval(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be between zero and one inclusive.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is ≥ 1.</summary>
    public static void RequirePositive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be greater than zero.");
        }
    }
}
