using GradClip.Serialization;

namespace GradClip.Cli.Report;

/// <summary>Writes a training run's report into its folder: <c>report.html</c> and, with plots, each plot as PNG and SVG.</summary>
public static class RunReport
{
    /// <summary>The report's file name.</summary>
    public const string ReportFile = "report.html";

    /// <summary>
    /// Reads the run's files in <paramref name="folder"/> and writes the report there, each file atomically, with the plots
    /// unless <paramref name="plots"/> is false; returns the names of the files written. A missing or malformed run file is a
    /// <see cref="Common.UsageException"/> naming it. <paramref name="holdsLock"/>: the caller is the run itself, holding the folder's lock.
    /// </summary>
    public static IReadOnlyList<string> Write(string folder, bool plots, bool holdsLock = false) => Write(folder, RunRecords.Read(folder, holdsLock), plots);

    /// <summary>Writes the report of <paramref name="run"/>, already read from <paramref name="folder"/>, there.</summary>
    internal static IReadOnlyList<string> Write(string folder, RunRecords run, bool plots)
    {
        var rendered = plots ? RunPlots.Render(run) : [];
        return WriteFiles(folder, rendered, ReportPage.Html(run, rendered));
    }

    /// <summary>Writes each plot as PNG and SVG, then the page as <see cref="ReportFile"/>, each atomically; returns the names written.</summary>
    internal static IReadOnlyList<string> WriteFiles(string folder, IReadOnlyList<RunPlot> plots, string page)
    {
        var written = new List<string>();
        foreach (var plot in plots)
        {
            AtomicFile.WriteBytes(Path.Combine(folder, plot.Name + ".png"), plot.Png);
            AtomicFile.WriteText(Path.Combine(folder, plot.Name + ".svg"), plot.Svg);
            written.Add(plot.Name + ".png");
            written.Add(plot.Name + ".svg");
        }
        AtomicFile.WriteText(Path.Combine(folder, ReportFile), page);
        written.Add(ReportFile);
        return written;
    }
}
