namespace GradClip.Clipping;

/// <summary>Thrown when gradients hold NaN or ±∞ and the caller asked for an error instead of propagating them.</summary>
public sealed class NonFiniteGradientException : ArithmeticException
{
    /// <summary>Creates the exception with its message and what it found.</summary>
    public NonFiniteGradientException(string message, double normType, int? parameterIndex, string? parameterName)
        : base(message)
    {
        NormType = normType;
        ParameterIndex = parameterIndex;
        ParameterName = parameterName;
    }

    /// <summary>The order of the norm that came out non-finite.</summary>
    public double NormType { get; }

    /// <summary>The position of the first parameter holding NaN or ±∞, or null when every element was finite and only the norm overflowed.</summary>
    public int? ParameterIndex { get; }

    /// <summary>The name of that parameter, when it has one.</summary>
    public string? ParameterName { get; }
}
