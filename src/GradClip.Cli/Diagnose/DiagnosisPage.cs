using System.Text;
using GradClip.Cli.Report;
using GradClip.Diagnosis;
using GradClip.Logs;
using static GradClip.Cli.Report.ReportPage;

namespace GradClip.Cli.Diagnose;

/// <summary>
/// The diagnosis as one self-contained page, built like the run report (<see cref="ReportPage"/>): what was read, the
/// verdicts, the counterfactual replay, the evaluations, the plots and the columns used.
/// </summary>
public static class DiagnosisPage
{
    /// <summary>The page for the diagnosis of <paramref name="reading"/> with <paramref name="plots"/>.</summary>
    public static string Html(LogReading reading, IReadOnlyList<HealthFinding> findings, ClipReplay replay, IReadOnlyList<RunPlot> plots)
    {
        var page = Begin($"GradClip diagnosis: {Path.GetFileName(reading.File)}");
        Header(page, reading, plots.Count > 0);
        Verdicts(page, findings);
        Replay(page, replay);
        Evaluations(page, reading.Trace.Epochs);
        ReportPage.Plots(page, plots);
        Configuration(page, [.. Setup(reading), .. reading.Columns.Select(c => KeyValuePair.Create("column " + c.Key, c.Value))]);
        return page.Append("<footer>Written by <code>gradclip diagnose</code> from ").Append(Encode(reading.File)).Append(".</footer>\n")
            .Append("</main>\n</body>\n</html>\n").ToString();
    }

    private static void Header(StringBuilder page, LogReading reading, bool hasPlots)
    {
        page.Append("<header>\n<h1>GradClip diagnosis</h1>\n<p class=\"lead\">").Append(Encode(reading.File)).Append(", read as ")
            .Append(Encode(LogReader.Describe(reading.Format))).Append(": ").Append(Encode(DiagnosisReport.StepsLine(reading))).Append(".</p>\n<nav>")
            .Append("<a href=\"#verdicts\">Verdicts</a> <a href=\"#replay\">Replay</a> <a href=\"#evaluations\">Evaluations</a> ")
            .Append(hasPlots ? "<a href=\"#plots\">Plots</a> " : "")
            .Append("<a href=\"#configuration\">Configuration</a></nav>\n</header>\n");
        foreach (string note in reading.Notes)
        {
            page.Append("<p class=\"note\">").Append(Encode(note)).Append("</p>\n");
        }
    }

    private static void Verdicts(StringBuilder page, IReadOnlyList<HealthFinding> findings)
    {
        page.Append("<section id=\"verdicts\">\n<h2>Health verdicts</h2>\n");
        foreach (var f in findings)
        {
            VerdictCard(page, new Verdict(f.Kind.ToString(), f.Summary, f.Evidence, f.Suggestion, f.FirstStep, DiagnosisReport.SeverityText(f.Severity)), "h3");
        }
        page.Append("</section>\n");
    }

    private static void Replay(StringBuilder page, ClipReplay replay)
    {
        page.Append("<section id=\"replay\">\n<h2>Other clipping policies on this run</h2>\n");
        if (replay.StepsReplayed == 0)
        {
            page.Append("<p>The log holds no finite gradient norm to replay.</p>\n</section>\n");
            return;
        }
        page.Append("<p>").Append(Encode(ReplayTable.Heading(replay))).Append("</p>\n<table class=\"strategies\">\n<thead><tr>")
            .Append("<th>Policy</th><th>Clip rate</th><th>Mean<br />coefficient</th><th>Spikes capped</th></tr></thead>\n<tbody>\n");
        foreach (var policy in replay.Policies)
        {
            page.Append("<tr title=\"").Append(Encode(policy.Description)).Append("\"><td>").Append(Encode(policy.Name)).Append("</td><td>")
                .Append(Encode(Percent(policy.ClipRate))).Append("</td><td>").Append(Encode(Brief(policy.MeanCoefficient))).Append("</td><td>")
                .Append(Encode(ReplayTable.Spikes(policy, replay))).Append("</td></tr>\n");
        }
        page.Append("</tbody>\n</table>\n<p class=\"note\">The logged norms are replayed as they were: a policy that had clipped would have changed every later norm.</p>\n</section>\n");
    }

    private static void Evaluations(StringBuilder page, IReadOnlyList<EpochRecord> epochs)
    {
        page.Append("<section id=\"evaluations\">\n<h2>Epochs and evaluations</h2>\n");
        if (epochs.Count == 0)
        {
            page.Append("<p>The log holds no epoch or evaluation record.</p>\n</section>\n");
            return;
        }
        page.Append("<table class=\"epochs\">\n<thead><tr><th>Epoch</th><th>Step</th><th>Train loss</th><th>Val loss</th><th>Val accuracy</th></tr></thead>\n<tbody>\n");
        foreach (var e in epochs)
        {
            page.Append("<tr><td>").Append(Encode(Brief(e.Epoch))).Append("</td><td>").Append(e.Step is { } s ? Integer(s) : "-").Append("</td><td>")
                .Append(Encode(Brief(e.TrainLoss))).Append("</td><td>").Append(Encode(Brief(e.ValLoss))).Append("</td><td>")
                .Append(Encode(Percent(e.ValAccuracy))).Append("</td></tr>\n");
        }
        page.Append("</tbody>\n</table>\n</section>\n");
    }

    private static IEnumerable<KeyValuePair<string, string>> Setup(LogReading reading)
    {
        yield return KeyValuePair.Create("format", LogReader.Describe(reading.Format));
        yield return KeyValuePair.Create("clipping", DiagnosisReport.ClippingLine(reading.Trace.Setup));
    }
}
