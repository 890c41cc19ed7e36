using System.Globalization;

namespace GradClip.Clipping;

/// <summary>The argument checks that PyTorch and TensorFlow leave out, each naming the argument and the value.</summary>
internal static class ClipArguments
{
    /// <summary>Throws unless <paramref name="value"/> is finite and greater than zero.</summary>
    public static void RequirePositiveFinite(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and greater than zero, but was {Text(value)}.");
        }
    }

    /// <summary>Throws unless <paramref name="normType"/> is greater than zero (finite) or +∞.</summary>
    public static void RequireNormType(double normType, string name)
    {
        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(name, normType, $"{name} must be greater than zero or +∞, but was {Text(normType)}.");
        }
    }

    /// <summary>Throws when a norm passed in by the caller is negative (NaN and +∞ are allowed and propagate).</summary>
    public static void RequireNonNegativeNorm(double norm, string name)
    {
        if (norm < 0)
        {
            throw new ArgumentOutOfRangeException(name, norm, $"{name} is a norm and cannot be negative, but was {Text(norm)}.");
        }
    }

    /// <summary>A number as the messages print it, invariant and round-trippable.</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
