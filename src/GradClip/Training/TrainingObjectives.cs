using GradClip.Data;
using GradClip.Metrics;

namespace GradClip.Training;

/// <summary>What each <see cref="TrainingObjective"/> reports after every epoch.</summary>
public static class TrainingObjectives
{
    /// <summary>The metrics a run with this objective on data of kind <paramref name="task"/> reports: a language model's perplexity, or the task kind's own.</summary>
    public static TaskMetrics Metrics(this TrainingObjective objective, TaskKind task) =>
        objective == TrainingObjective.NextToken ? TaskMetrics.LanguageModel : TaskMetrics.For(task);
}
