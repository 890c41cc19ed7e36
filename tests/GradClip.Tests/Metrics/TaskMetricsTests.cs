using GradClip.Data;
using GradClip.Metrics;

namespace GradClip.Tests.Metrics;

public sealed class TaskMetricsTests
{
    [Fact]
    public void Each_tabular_task_declares_its_metrics_and_headline()
    {
        Assert.Equal(["val_accuracy", "val_macro_f1", "train_accuracy"], TaskMetrics.For(TaskKind.Classification).Metrics.Select(m => m.Name));
        Assert.Equal("val_accuracy", TaskMetrics.For(TaskKind.Classification).Headline.Name);
        Assert.Equal(["val_mae", "val_rmse", "val_r2"], TaskMetrics.For(TaskKind.Regression).Metrics.Select(m => m.Name));
        Assert.Equal("val_rmse", TaskMetrics.For(TaskKind.Regression).Headline.Name);
    }

    [Fact]
    public void Measured_values_come_out_in_declaration_order_and_an_undeclared_one_is_refused()
    {
        var values = new Dictionary<string, double> { ["train_accuracy"] = 0.9, ["val_accuracy"] = 0.8 };

        Assert.Equal([new MetricValue("val_accuracy", 0.8), new MetricValue("train_accuracy", 0.9)], TaskMetrics.Classification.Ordered(values));
        var ex = Assert.Throws<ArgumentException>(() => TaskMetrics.Regression.Ordered(values));
        Assert.Contains("'train_accuracy' is not a metric the regression task declares", ex.Message);
    }

    [Fact]
    public void Metrics_are_found_by_name_across_the_declarations()
    {
        Assert.Same(EpochMetric.ValidationLoss, TaskMetrics.Named("val_loss"));
        Assert.Same(EpochMetric.ValidationR2, TaskMetrics.Named("val_r2"));
        Assert.Null(TaskMetrics.Named("val_bleu"));
        Assert.Same(TaskMetrics.Classification, TaskMetrics.Declaring(["train_accuracy"]));
        Assert.Same(TaskMetrics.Regression, TaskMetrics.Declaring(["val_mae", "val_r2"]));
        Assert.Null(TaskMetrics.Declaring(["val_mae", "val_accuracy"]));
    }

    [Fact]
    public void A_new_task_declares_its_own_metrics_with_val_loss_monitorable_too()
    {
        var perplexity = new EpochMetric("val_perplexity", "Val perplexity", MetricFormat.Number, false, "e to the validation cross-entropy");
        var language = new TaskMetrics("language-model", [perplexity], perplexity);

        Assert.Equal(["val_loss", "val_perplexity"], language.Monitorable.Select(m => m.Name));
        Assert.Same(perplexity, language.Headline);
    }

    [Fact]
    public void A_declaration_is_refused_without_its_headline_or_with_a_name_twice()
    {
        var mae = EpochMetric.ValidationMae;

        Assert.Throws<ArgumentException>(() => new TaskMetrics("t", [mae], EpochMetric.ValidationRmse));
        Assert.Throws<ArgumentException>(() => new TaskMetrics("t", [mae, mae], mae));
        Assert.Throws<ArgumentException>(() => new TaskMetrics("t", [EpochMetric.ValidationLoss], EpochMetric.ValidationLoss));
    }
}
