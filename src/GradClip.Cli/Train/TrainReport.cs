using GradClip.Cli.Tasks;
using System.Globalization;
using GradClip.Adaptive;
using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary>What <c>gradclip train</c> prints: the setup, then the epoch table, the loss chart and the verdicts.</summary>
public static class TrainReport
{
    /// <summary>Writes the configuration the run is about to use.</summary>
    public static void WriteSetup(IAnsiConsole console, TrainOptions o, TabularData data, DataSplit split,
        (Standardizer? Features, Standardizer? Target) standardizers, ModelSpec spec, IGradientTransform clipping)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        grid.AddRow("[bold]Data[/]", Esc(DataLine(data)));
        if (data.Layout.Length > 0)
        {
            grid.AddRow("", Esc("read as " + data.Layout));
        }
        grid.AddRow("", Esc($"{(data.Task == TaskKind.Classification ? "classification" : "regression")}: {data.TaskReason}"));
        grid.AddRow("", Esc(StandardizerLine(standardizers.Features, split)));
        if (standardizers.Target is { } target)
        {
            grid.AddRow("", Esc($"target standardized for training (mean {Num(target.Means[0])}, std {Num(target.Scales[0])}); predictions and metrics in its units"));
        }
        string how = data.Task == TaskKind.Classification ? "stratified by class" : "shuffled";
        grid.AddRow("[bold]Split[/]", Esc($"{split.TrainRows.Length} training / {split.ValidationRows.Length} validation rows ({how}, seed {o.Seed})"));
        grid.AddRow("[bold]Model[/]", Esc($"{spec.Describe()}{(spec is MlpSpec ? " with ReLU" : "")}; {o.Optimizer.ToString().ToLowerInvariant()} lr {Num(o.LearningRate)}, batch {o.BatchSize}, {o.Epochs} epochs"));
        grid.AddRow("[bold]Training[/]", Esc(TrainingLine(o)));
        grid.AddRow("[bold]Clipping[/]", Esc($"{ClippingLine(clipping)}; steps with NaN/∞: {o.OnNonFinite.ToString().ToLowerInvariant()}"));
        console.Write(new Panel(grid).Header("gradclip train").Border(BoxBorder.Rounded));
    }

    /// <summary>
    /// Writes the per-epoch table, the loss chart, the verdicts, why the run stopped early, and the kept epoch (picked by
    /// <paramref name="monitor"/>) of a run on <paramref name="source"/>, which reports <paramref name="metrics"/>.
    /// </summary>
    public static void WriteResult(IAnsiConsole console, TrainingResult result, IReadOnlyList<HealthFinding> findings, string source, TaskMetrics metrics, string monitor)
    {
        console.Write(EpochTable.Of(result.Epochs));
        foreach (string line in LossChart.Render(result.Epochs.Select(e => e.TrainLoss).ToList(), result.Epochs.Select(e => e.ValLoss).ToList(), console.Profile.Width))
        {
            console.WriteLine(line);
        }
        console.WriteLine();
        if (result.StopReason is { } stop)
        {
            console.MarkupLine($"[red]{Esc(stop)}[/]");
        }
        if (result.EarlyStop is { } early)
        {
            console.MarkupLine($"[cyan]{Esc(early)}[/]");
        }
        foreach (var finding in findings)
        {
            string colour = Verdict.Colour(finding.Kind.ToString(), finding.Severity.ToString().ToLowerInvariant());
            console.MarkupLine($"[{colour} bold]Verdict:[/] [{colour}]{Esc(finding.Summary)}[/]");
            console.MarkupLine($"  Evidence: {Esc(finding.Evidence)}");
            console.MarkupLine($"  Next: {Esc(finding.Suggestion)}");
        }
        console.MarkupLine(Esc(BestLine(result, source, metrics, monitor)));
    }

    /// <summary>Says where the run's files are.</summary>
    public static void WriteFiles(IAnsiConsole console, string folder, IReadOnlyList<string> files) =>
        console.MarkupLine($"Files in [bold]{Esc(folder)}[/]: {Esc(string.Join(", ", files))}");

    /// <summary>Prints a language model's perplexity against the unigram baseline and the text it generated.</summary>
    public static void WriteSample(IAnsiConsole console, TextSample sample)
    {
        console.MarkupLine(Esc($"Language model: {sample.Comparison()}."));
        console.MarkupLine("[bold]Generated after the prompt[/] " + Esc($"\"{sample.Prompt.ReplaceLineEndings(" / ")}\":"));
        console.WriteLine(sample.Text);
    }

    private static string DataLine(TabularData data)
    {
        string classes = data.Task == TaskKind.Classification
            ? $", {data.ClassCount} classes ({string.Join(", ", data.ClassNames.Take(6))}{(data.ClassCount > 6 ? ", …" : "")})"
            : "";
        return $"{data.Source}: {data.RowCount} rows × {data.FeatureCount} features{classes}; target '{data.TargetName}'";
    }

    private static string StandardizerLine(Standardizer? standardizer, DataSplit split) => standardizer switch
    {
        null => "raw features (not standardized)",
        { ConstantFeatures.Length: 0 } => $"standardized to zero mean and unit variance (fitted on the {split.TrainRows.Length} training rows)",
        _ => $"standardized (fitted on the training rows); constant, so only centred: {string.Join(", ", standardizer.ConstantFeatures)}",
    };

    private static string ClippingLine(IGradientTransform clipping) => clipping switch
    {
        ClipByGlobalNorm n => $"global {(double.IsPositiveInfinity(n.NormType) ? "max" : "L" + Num(n.NormType))} norm ≤ {Num(n.MaxNorm)} (clip_grad_norm_)",
        ClipByValue v => $"each element to ±{Num(v.ClipValue)} (clip_grad_value_)",
        AutoClip a => $"AutoClip: global norm ≤ the {Num(a.Percentile)}th percentile of the norms seen so far",
        ZClip z => $"ZClip: norm spikes above z = {Num(z.ZThreshold)} (after {z.WarmupSteps} warm-up steps)",
        Agc g => $"AGC: each unit's gradient ≤ {Num(g.Clipping)} × its weights' norm (output layer excluded)",
        _ => "none (gradient norms are still recorded)",
    };

    /// <summary>The schedule, regularization and early stopping of the run, only the settings that apply.</summary>
    private static string TrainingLine(TrainOptions o)
    {
        string schedule = o.Schedule == LrSchedule.WarmupCosine ? $"warmup-cosine ({o.Warmup} warm-up epochs)" : o.ScheduleName;
        string momentum = o.Optimizer == OptimizerKind.Sgd ? $", momentum {Num(o.Momentum)}" : "";
        string dropout = o.Dropout > 0 ? $", dropout {Num(o.Dropout)}" : "";
        string stopping = o.Patience is { } patience ? $"stop after {patience} epochs without a better {o.Monitor}" : "all epochs";
        return $"lr schedule {schedule}, weight decay {Num(o.WeightDecay)}{momentum}{dropout}; keeps the best {o.Monitor} epoch; {stopping}";
    }

    private static string BestLine(TrainingResult result, string source, TaskMetrics metrics, string monitor)
    {
        if (result.Best is not { } best)
        {
            return "No epoch ended with a finite validation loss and finite weights, so no model was saved: the run diverged. Try a lower --lr or clipping.";
        }
        var figure = metrics.Monitorable.First(m => m.Name == monitor);
        var headline = best.Metric(metrics.Headline.Name) is not null ? metrics.Headline : EpochMetric.ValidationLoss;
        string shown = $"{headline.Name} {MetricText.Of(headline, best.Figure(headline.Name))}";
        string why = $"{(figure.HigherIsBetter ? "highest" : "lowest")} {figure.Name}";
        return $"Model kept from epoch {best.Epoch} ({why}): {shown} on {source}.";
    }

    private static string Num(double value) => NumberText.Short(value);

    private static string Esc(string text) => Markup.Escape(text);
}
