namespace GradClip.Cli.Report;

/// <summary>
/// Writes a comparison's report into its folder: <c>report.html</c> and, with plots, each overlay plot as PNG and SVG;
/// <see cref="WriteWithStrategies"/> also writes each strategy's own report.
/// </summary>
public static class CompareReport
{
    /// <summary>
    /// Reads <c>comparison.json</c> in <paramref name="folder"/> and each strategy's run, and writes the report there, each file
    /// atomically, with the plots unless <paramref name="plots"/> is false; returns the names of the files written. A missing or
    /// malformed file is a <see cref="Common.UsageException"/> naming it.
    /// </summary>
    public static IReadOnlyList<string> Write(string folder, bool plots) => Write(folder, ComparisonRecords.Read(folder), plots);

    /// <summary>
    /// Reads the comparison in <paramref name="folder"/> once and writes each strategy's own report (when
    /// <paramref name="strategyReports"/>; named by its folder), then the comparison's; returns the names written.
    /// </summary>
    public static IReadOnlyList<string> WriteWithStrategies(string folder, bool plots, bool strategyReports)
    {
        var comparison = ComparisonRecords.Read(folder);
        var written = new List<string>();
        if (strategyReports)
        {
            foreach (var strategy in comparison.Strategies)
            {
                written.AddRange(RunReport.Write(Path.Combine(folder, strategy.Row.Folder), strategy.Run, plots)
                    .Select(file => Path.Combine(strategy.Row.Folder, file)));
            }
        }
        written.AddRange(Write(folder, comparison, plots));
        return written;
    }

    /// <summary>Writes the report of <paramref name="comparison"/>, already read from <paramref name="folder"/>.</summary>
    internal static IReadOnlyList<string> Write(string folder, ComparisonRecords comparison, bool plots)
    {
        var rendered = plots ? ComparisonPlots.Render(comparison) : [];
        return RunReport.WriteFiles(folder, rendered, ComparePage.Html(comparison, rendered));
    }
}
