namespace GradClip.Training;

/// <summary>What a model's outputs are scored against.</summary>
public enum TrainingObjective
{
    /// <summary>One output per row against the row's label (cross-entropy) or target (mean squared error).</summary>
    RowTargets,

    /// <summary>
    /// A row holds a window of token ids: the model reads all but the last and predicts, at every position, the next one
    /// (cross-entropy averaged over every position, as a language model trains).
    /// </summary>
    NextToken,
}
