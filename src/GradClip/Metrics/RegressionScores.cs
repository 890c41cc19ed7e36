namespace GradClip.Metrics;

/// <summary>Regression figures from predicted and true values, accumulated in double: MAE, RMSE and R² (as scikit-learn defines them).</summary>
public static class RegressionScores
{
    /// <summary>The mean absolute error; NaN for no rows.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<double> predicted, ReadOnlySpan<double> targets)
    {
        RequireSameLength(predicted, targets);
        double sum = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            sum += Math.Abs(predicted[i] - targets[i]);
        }
        return targets.IsEmpty ? double.NaN : sum / targets.Length;
    }

    /// <summary>The root of the mean squared error; NaN for no rows.</summary>
    public static double RootMeanSquaredError(ReadOnlySpan<double> predicted, ReadOnlySpan<double> targets)
    {
        RequireSameLength(predicted, targets);
        return targets.IsEmpty ? double.NaN : Math.Sqrt(SquaredError(predicted, targets) / targets.Length);
    }

    /// <summary>
    /// The coefficient of determination 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; when the targets are all equal it is 1 for a perfect
    /// prediction and 0 otherwise (scikit-learn's convention); NaN for no rows.
    /// </summary>
    public static double RSquared(ReadOnlySpan<double> predicted, ReadOnlySpan<double> targets)
    {
        RequireSameLength(predicted, targets);
        if (targets.IsEmpty)
        {
            return double.NaN;
        }
        double mean = 0;
        foreach (double y in targets)
        {
            mean += y;
        }
        mean /= targets.Length;
        double total = 0;
        foreach (double y in targets)
        {
            total += (y - mean) * (y - mean);
        }
        double residual = SquaredError(predicted, targets);
        return total > 0 ? 1 - residual / total : residual == 0 ? 1 : 0;
    }

    private static double SquaredError(ReadOnlySpan<double> predicted, ReadOnlySpan<double> targets)
    {
        double sum = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            double error = predicted[i] - targets[i];
            sum += error * error;
        }
        return sum;
    }

    private static void RequireSameLength(ReadOnlySpan<double> predicted, ReadOnlySpan<double> targets)
    {
        if (predicted.Length != targets.Length)
        {
            throw new ArgumentException($"predicted has {predicted.Length} rows but targets has {targets.Length}.", nameof(predicted));
        }
    }
}
