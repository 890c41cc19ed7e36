using GradClip.Data;

namespace GradClip.Metrics;

/// <summary>
/// The epoch metrics a kind of task declares, in the order files and tables show them, and its headline figure: the one
/// that names a comparison's winner and that <c>--monitor</c> may watch. Everything that shows or judges metrics reads
/// these declarations; a new kind of task declares its own set here and adds it to <see cref="All"/>.
/// </summary>
public sealed class TaskMetrics
{
    /// <summary>Classification: validation accuracy (the headline), macro F1 and training accuracy.</summary>
    public static readonly TaskMetrics Classification = new("classification",
        [EpochMetric.ValidationAccuracy, EpochMetric.ValidationMacroF1, EpochMetric.TrainAccuracy], EpochMetric.ValidationAccuracy);

    /// <summary>Regression: validation MAE, RMSE (the headline) and R², in the target's own units.</summary>
    public static readonly TaskMetrics Regression = new("regression",
        [EpochMetric.ValidationMae, EpochMetric.ValidationRmse, EpochMetric.ValidationR2], EpochMetric.ValidationRmse);

    /// <summary>A character-level language model: validation perplexity (the headline, lower is better).</summary>
    public static readonly TaskMetrics LanguageModel = new("language model", [EpochMetric.ValidationPerplexity], EpochMetric.ValidationPerplexity);

    /// <summary>Reinforcement learning: the mean return of the epoch's episodes (the headline, higher is better); a policy-gradient loss need not fall.</summary>
    public static readonly TaskMetrics Reinforcement = new("reinforcement learning", [EpochMetric.MeanReturn], EpochMetric.MeanReturn);

    /// <summary>Every declared set, which readers search to recognise a metric by its name.</summary>
    public static IReadOnlyList<TaskMetrics> All { get; } = [Classification, Regression, LanguageModel, Reinforcement];

    /// <summary>Declares the <paramref name="metrics"/> of the task kind <paramref name="task"/>, with <paramref name="headline"/> among them.</summary>
    /// <exception cref="ArgumentException">No metrics, two with one name, one named as <see cref="EpochMetric.ValidationLoss"/>, or a headline not among them.</exception>
    public TaskMetrics(string task, IReadOnlyList<EpochMetric> metrics, EpochMetric headline)
    {
        ArgumentException.ThrowIfNullOrEmpty(task);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(headline);
        if (metrics.Count == 0 || metrics.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != metrics.Count
            || metrics.Any(m => m.Name == EpochMetric.ValidationLoss.Name))
        {
            throw new ArgumentException($"A task declares at least one metric, each name once, and not {EpochMetric.ValidationLoss.Name} (every task has it).", nameof(metrics));
        }
        if (!metrics.Contains(headline))
        {
            throw new ArgumentException($"The headline '{headline.Name}' is not among the task's metrics.", nameof(headline));
        }
        Task = task;
        Metrics = metrics;
        Headline = headline;
    }

    /// <summary>The task kind's name, e.g. <c>classification</c>.</summary>
    public string Task { get; }

    /// <summary>The metrics, in the order files and tables show them.</summary>
    public IReadOnlyList<EpochMetric> Metrics { get; }

    /// <summary>The figure that ranks runs of this task: a comparison's winner has the best final value of it.</summary>
    public EpochMetric Headline { get; }

    /// <summary>The metrics a tabular task of <paramref name="kind"/> reports.</summary>
    public static TaskMetrics For(TaskKind kind) => kind switch
    {
        TaskKind.Classification => Classification,
        TaskKind.Regression => Regression,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown task kind {kind}."),
    };

    /// <summary>The declared set that declares every one of <paramref name="names"/> (the first in <see cref="All"/>), or null when none does.</summary>
    public static TaskMetrics? Declaring(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = names.ToList();
        return All.FirstOrDefault(set => wanted.All(name => set.Find(name) is not null));
    }

    /// <summary>The metric named <paramref name="name"/> in any declared set, or <see cref="EpochMetric.ValidationLoss"/>; null when none is.</summary>
    public static EpochMetric? Named(string name) =>
        name == EpochMetric.ValidationLoss.Name ? EpochMetric.ValidationLoss : All.Select(set => set.Find(name)).FirstOrDefault(m => m is not null);

    /// <summary>This set's metric named <paramref name="name"/>, or null.</summary>
    public EpochMetric? Find(string name) => Metrics.FirstOrDefault(m => m.Name == name);

    /// <summary>The figures <c>--monitor</c> may watch for this task: the validation loss and every declared metric.</summary>
    public IReadOnlyList<EpochMetric> Monitorable => [EpochMetric.ValidationLoss, .. Metrics];

    /// <summary>The measured <paramref name="values"/> in declaration order; a declared metric not measured (no validation rows) is left out.</summary>
    /// <exception cref="ArgumentException">A value's name is not declared by this task.</exception>
    public IReadOnlyList<MetricValue> Ordered(IReadOnlyDictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Keys.FirstOrDefault(name => Find(name) is null) is { } stray)
        {
            throw new ArgumentException($"'{stray}' is not a metric the {Task} task declares.", nameof(values));
        }
        return [.. Metrics.Where(m => values.ContainsKey(m.Name)).Select(m => new MetricValue(m.Name, values[m.Name]))];
    }
}
