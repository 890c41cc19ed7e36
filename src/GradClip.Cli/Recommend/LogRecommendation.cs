using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Diagnose;
using GradClip.Cli.Train;
using GradClip.Diagnosis;
using GradClip.Logs;
using GradClip.Monitoring;
using GradClip.Serialization;
using Spectre.Console;

namespace GradClip.Cli.Recommend;

/// <summary>
/// <c>gradclip recommend --from-log PATH</c>: max_norm advice from the gradient norms a training log holds (any format
/// <c>diagnose</c> reads) instead of a probe run, beside what each clipping policy would have done to those norms.
/// </summary>
public static class LogRecommendation
{
    /// <summary>Reads <paramref name="log"/>, prints the advice and the replay, and writes the advice into <paramref name="folder"/>.</summary>
    public static int Run(IAnsiConsole console, string log, string folder)
    {
        var reading = DiagnoseCommand.Read(log, new LogOptions());
        var trace = reading.Trace;
        var norms = trace.NormBefore.Logged().Select(n => n.Value).ToList();
        if (!norms.Any(double.IsFinite))
        {
            throw new UsageException("--from-log", $"{reading.File} holds no finite gradient norm to advise from ({LogReader.Describe(reading.Format)}; columns {string.Join(", ", reading.Columns.Select(c => c.Value))}).");
        }
        // Hugging Face's Trainer trains transformers; other logs do not say what the model was.
        var kind = reading.Format == LogFormat.HuggingFaceTrainer ? ModelKind.Transformer : ModelKind.SmallFeedForward;
        var advice = MaxNormAdvisor.Advise(norms, kind);
        console.MarkupLine(Markup.Escape($"From {reading.File} ({LogReader.Describe(reading.Format)}): {norms.Count.ToString(CultureInfo.InvariantCulture)} logged gradient norms before clipping, {DiagnosisReport.StepsLine(reading)}."));
        if (trace.Setup.Clipping is not ClippingKind.None)
        {
            console.MarkupLine(Markup.Escape($"The run clipped ({DiagnosisReport.ClippingLine(trace.Setup)}): its later norms grew under that clipping, so they describe this run rather than an unclipped probe."));
        }
        if (kind == ModelKind.SmallFeedForward)
        {
            console.MarkupLine("The log does not say what the model was: the rule of thumb below is a small feed-forward network's.");
        }
        RecommendCommand.WriteAdvice(console, advice);
        console.WriteLine();
        ReplayTable.Write(console, ClipReplay.Of(trace));
        TrainRun.CreateOutputFolder(folder);
        AtomicFile.WriteText(Path.Combine(folder, RecommendCommand.AdviceFile), RecommendCommand.Json(advice) + "\n");
        console.MarkupLine($"Written to [bold]{Markup.Escape(Path.Combine(folder, RecommendCommand.AdviceFile))}[/].");
        return ExitCodes.Success;
    }
}
