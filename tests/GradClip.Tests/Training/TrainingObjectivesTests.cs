using GradClip.Data;
using GradClip.Metrics;
using GradClip.Training;

namespace GradClip.Tests.Training;

public class TrainingObjectivesTests
{
    [Fact]
    public void A_language_model_reports_its_perplexity_and_other_models_their_task_kinds_metrics()
    {
        Assert.Same(TaskMetrics.LanguageModel, TrainingObjective.NextToken.Metrics(TaskKind.Classification));
        Assert.Same(TaskMetrics.Classification, TrainingObjective.RowTargets.Metrics(TaskKind.Classification));
        Assert.Same(TaskMetrics.Regression, TrainingObjective.RowTargets.Metrics(TaskKind.Regression));
        Assert.False(TaskMetrics.LanguageModel.Headline.HigherIsBetter);
        Assert.Equal("val_perplexity", TaskMetrics.LanguageModel.Headline.Name);
    }
}
