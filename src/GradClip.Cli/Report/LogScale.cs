using GradClip.Cli.Common;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace GradClip.Cli.Report;

/// <summary>
/// A base-10 log axis for ScottPlot, which plots linear coordinates: values are drawn as their log10 and the ticks are labelled
/// with the values. Zero, negative and non-finite values have no logarithm: they are left out and counted, for the title to say.
/// </summary>
internal static class LogScale
{
    /// <summary>The points with a positive finite value, as (x, log10 value), and how many were left out.</summary>
    public static (double[] X, double[] LogY, int LeftOut) Points(IEnumerable<(double X, double? Y)> points)
    {
        var xs = new List<double>();
        var logs = new List<double>();
        int leftOut = 0;
        foreach (var (x, y) in points)
        {
            if (y is { } value && double.IsFinite(value) && value > 0)
            {
                xs.Add(x);
                logs.Add(Math.Log10(value));
            }
            else
            {
                leftOut++;
            }
        }
        return (xs.ToArray(), logs.ToArray(), leftOut);
    }

    /// <summary>The log10 of a value that has one, otherwise NaN (a blank cell in a heat map).</summary>
    public static double LogOrNaN(double? value) =>
        value is { } v && double.IsFinite(v) && v > 0 ? Math.Log10(v) : double.NaN;

    /// <summary>
    /// Fits <paramref name="plot"/>'s axes to its data, then makes the left axis show the values whose logs span
    /// <paramref name="lowLog"/> to <paramref name="highLog"/>.
    /// </summary>
    public static void Apply(Plot plot, double lowLog, double highLog)
    {
        double span = Math.Max(highLog - lowLog, 0.3);
        double bottom = lowLog - 0.05 * span;
        double top = highLog + 0.05 * span;
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(bottom, top);
        plot.Axes.Left.TickGenerator = Ticks(bottom, top);
    }

    /// <summary>Major ticks at the powers of ten (and at 2 and 5 times them over a short range), minor ticks at the other multiples.</summary>
    private static NumericManual Ticks(double bottom, double top)
    {
        var ticks = new NumericManual();
        int[] majors = top - bottom <= 2 ? [1, 2, 5] : [1];
        for (int decade = (int)Math.Floor(bottom); decade <= (int)Math.Ceiling(top); decade++)
        {
            for (int multiple = 1; multiple <= 9; multiple++)
            {
                double value = multiple * Math.Pow(10, decade);
                double position = Math.Log10(value);
                if (position < bottom || position > top)
                {
                    continue;
                }
                if (majors.Contains(multiple))
                {
                    ticks.AddMajor(position, NumberText.Brief(value));
                }
                else
                {
                    ticks.AddMinor(position);
                }
            }
        }
        return ticks;
    }
}
