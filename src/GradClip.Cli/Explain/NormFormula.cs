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
            _ => $"({Join(terms, " + ")})^(1/{NumberText.NormOrder(p)}) = " +
                 $"{NumberText.Short(Math.Pow(norm, p))}^(1/{NumberText.NormOrder(p)}) = {NumberText.Short(norm)}",
        };
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
