namespace GradClip.Metrics;

/// <summary>
/// A figure a task reports after every epoch: its name in <c>metrics.jsonl</c> (Keras's <c>val_accuracy</c> style), the
/// label tables and plots give it, how it is shown, which way is better, and what it means.
/// </summary>
/// <param name="Name">The key in <c>metrics.jsonl</c> and <c>--monitor</c>'s value, e.g. <c>val_accuracy</c>.</param>
/// <param name="Label">A short column label, e.g. <c>Val acc</c>.</param>
/// <param name="Format">How the value is shown.</param>
/// <param name="HigherIsBetter">Whether a higher value is better (accuracy, return) rather than a lower one (error, perplexity).</param>
/// <param name="Meaning">One sentence saying what the figure measures, for reports.</param>
public sealed record EpochMetric(string Name, string Label, MetricFormat Format, bool HigherIsBetter, string Meaning)
{
    /// <summary>The validation loss, which every task with validation rows reports; lower is better.</summary>
    public static readonly EpochMetric ValidationLoss = new("val_loss", "Val loss", MetricFormat.Number, false,
        "the training objective on the validation rows");

    /// <summary>The fraction of validation rows whose highest-scoring class is their label.</summary>
    public static readonly EpochMetric ValidationAccuracy = new("val_accuracy", "Val acc", MetricFormat.Percent, true,
        "the share of validation rows whose predicted class is right");

    /// <summary>The unweighted mean over classes of each class's F1 score on the validation rows (scikit-learn's <c>f1_score(average="macro")</c>).</summary>
    public static readonly EpochMetric ValidationMacroF1 = new("val_macro_f1", "Val F1", MetricFormat.Number, true,
        "the mean over classes of each class's F1 (harmonic mean of precision and recall) on the validation rows, so a rare class counts as much as a common one");

    /// <summary>The fraction of training rows classified right by the weights at the epoch's end (evaluation mode, no dropout).</summary>
    public static readonly EpochMetric TrainAccuracy = new("train_accuracy", "Train acc", MetricFormat.Percent, true,
        "the share of training rows whose predicted class is right, measured after the epoch with the epoch's final weights");

    /// <summary>The mean absolute error on the validation rows, in the target's units.</summary>
    public static readonly EpochMetric ValidationMae = new("val_mae", "Val MAE", MetricFormat.Number, false,
        "the mean absolute error on the validation rows, in the target's own units");

    /// <summary>The root mean squared error on the validation rows, in the target's units.</summary>
    public static readonly EpochMetric ValidationRmse = new("val_rmse", "Val RMSE", MetricFormat.Number, false,
        "the root mean squared error on the validation rows, in the target's own units");

    /// <summary>The coefficient of determination on the validation rows: 1 − SSE/SST (1 is perfect, 0 is predicting the mean).</summary>
    public static readonly EpochMetric ValidationR2 = new("val_r2", "Val R²", MetricFormat.Number, true,
        "the coefficient of determination on the validation rows, 1 − SSE/SST: 1 is perfect, 0 is no better than predicting their mean");

    /// <summary>e to the validation loss of a language model: the number of tokens it hesitates between on average (lower is better).</summary>
    public static readonly EpochMetric ValidationPerplexity = new("val_perplexity", "Val ppl", MetricFormat.Number, false,
        "e to the validation loss: the number of characters the model hesitates between on average, against the unigram baseline of the text");

    /// <summary>The mean return of the episodes an agent played during the epoch, as its policy was being trained (higher is better).</summary>
    public static readonly EpochMetric MeanReturn = new("mean_return", "Return", MetricFormat.Number, true,
        "the mean return of the epoch's episodes, played by the policy as it trained: on CartPole the steps the pole stayed up, at most 500");
}
