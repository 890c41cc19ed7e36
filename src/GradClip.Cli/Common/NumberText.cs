using System.Globalization;

namespace GradClip.Cli.Common;

/// <summary>Parses and prints numbers the way the tool shows them: invariant culture, short but exact enough to follow.</summary>
public static class NumberText
{
    /// <summary>Parses a comma-separated list of finite numbers given to <paramref name="option"/>, naming the bad entry on failure.</summary>
    public static float[] ParseList(string text, string option)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string where = $"entry {i + 1} of '{text}'";
            values[i] = (float)ParseFinite(parts[i], option, where);
            if (!float.IsFinite(values[i]))
            {
                throw new UsageException(option, $"{where}, '{parts[i]}', is too large for a 32-bit float (at most about 3.4e38).");
            }
        }
        return values;
    }

    /// <summary>Parses one finite number given to <paramref name="option"/>.</summary>
    public static double ParseFinite(string text, string option, string? where = null)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            string what = where is null ? $"'{text}'" : $"{where}, '{text}',";
            throw new UsageException(option, $"{what} is not a finite number.");
        }
        return value;
    }

    /// <summary>A norm order as typed: a number &gt; 0, or <c>inf</c> for the max norm.</summary>
    public static double ParseNormType(string text, string option)
    {
        if (text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }
        double p = ParseFinite(text, option);
        if (p <= 0)
        {
            throw new UsageException(option, $"the norm order must be greater than zero or 'inf', but was {text}.");
        }
        return p;
    }

    /// <summary>A fraction as a percentage with at most one decimal, e.g. <c>12.5 %</c>.</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    /// <summary>A value rounded for reading: at most four decimals, or four significant digits when very small or large.</summary>
    public static string Short(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "∞" : "-∞";
        }
        double magnitude = Math.Abs(value);
        return magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e6)
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : value.ToString("0.###e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>A value with three significant digits, for tables read at a glance.</summary>
    public static string Brief(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsInfinity(value) ? (value > 0 ? "∞" : "-∞")
        : Math.Abs(value) is >= 1e-3 and < 1e3 or 0 ? value.ToString("G3", CultureInfo.InvariantCulture)
        : Math.Abs(value) is >= 1e3 and < 1e5 ? value.ToString("0", CultureInfo.InvariantCulture)
        : value.ToString("0.##e+0", CultureInfo.InvariantCulture);

    /// <summary>A value with nine significant digits, for coefficients whose small differences matter.</summary>
    public static string Precise(double value) => value.ToString("G9", CultureInfo.InvariantCulture);

    /// <summary>A norm order as the tool prints it: <c>1</c>, <c>2</c>, <c>1.5</c> or <c>inf</c>.</summary>
    public static string NormOrder(double p) => double.IsPositiveInfinity(p) ? "inf" : p.ToString("R", CultureInfo.InvariantCulture);
}
