using GradClip.Cli.Common;

namespace GradClip.Cli.Explain;

/// <summary>Writes a p-norm as the arithmetic a reader can check by hand, e.g. <c>√(3² + 4² + 12²) = √169 = 13</c>.</summary>
public static class NormFormula
{
    private const int TermsShown = 4;

    /// <summary>The formula for the p-norm of <paramref name="values"/>, ending in <paramref name="norm"/>.</summary>
    public static string Of(IReadOnlyList<double> values, double p, double norm)
    {
        var terms = Terms(values, p);
        return p switch
        {
            1 => $"{Join(terms, " + ")} = {NumberText.Short(norm)}",
            2 => $"√({Join(terms, " + ")}) = √{NumberText.Short(norm * norm)} = {NumberText.Short(norm)}",
            double.PositiveInfinity => $"max({Join(terms, ", ")}) = {NumberText.Short(norm)}",
            _ when PowerSumFits(norm, p) => $"({Join(terms, " + ")})^(1/{NumberText.NormOrder(p)}) = " +
                 $"{NumberText.Short(Math.Pow(norm, p))}^(1/{NumberText.NormOrder(p)}) = {NumberText.Short(norm)}",
            _ => Relative(values, terms, p, norm),
        };
    }

    /// <summary>Whether norm^p is an ordinary double: for a large p it overflows or underflows although the norm does not.</summary>
    private static bool PowerSumFits(double norm, double p)
    {
        double sum = Math.Pow(norm, p);
        return !double.IsFinite(norm) || norm == 0 || (double.IsFinite(sum) && sum > 1e-290);
    }

    /// <summary>The p-norm written relative to the largest magnitude m, as it is computed when the power sum leaves double's range.</summary>
    private static string Relative(IReadOnlyList<double> values, List<string> terms, double p, double norm)
    {
        double m = values.Max(Math.Abs);
        string order = NumberText.NormOrder(p);
        var relative = values.Select(v => $"{NumberText.Short(Math.Abs(v) / m)}^{order}").ToList();
        return $"({Join(terms, " + ")})^(1/{order}) = {NumberText.Short(m)} · ({Join(relative, " + ")})^(1/{order}) = " +
               $"{NumberText.Short(m)} · {NumberText.Short(Math.Pow(norm / m, p))}^(1/{order}) = {NumberText.Short(norm)}";
    }

    /// <summary>The symbol of the p-norm, e.g. <c>‖g‖₂</c> or <c>‖g‖_inf</c>.</summary>
    public static string Symbol(string name, double p) => p switch
    {
        1 => $"‖{name}‖₁",
        2 => $"‖{name}‖₂",
        _ => $"‖{name}‖_{NumberText.NormOrder(p)}",
    };

    private static List<string> Terms(IReadOnlyList<double> values, double p)
    {
        var terms = new List<string>(values.Count);
        foreach (double v in values)
        {
            string x = NumberText.Short(v);
            terms.Add(p switch
            {
                2 => v < 0 ? $"({x})²" : $"{x}²",
                1 or double.PositiveInfinity => $"|{x}|",
                _ => $"|{x}|^{NumberText.NormOrder(p)}",
            });
        }
        return terms;
    }

    private static string Join(List<string> terms, string separator) =>
        terms.Count <= TermsShown + 1
            ? string.Join(separator, terms)
            : string.Join(separator, terms.Take(TermsShown)) + separator + "…" + separator + terms[^1];
}
