using GradClip.Data;

namespace GradClip.Diagnosis;

/// <summary>What a run's log says of how the run was set up; every figure the log does not tell is null.</summary>
public sealed record RunSetup
{
    /// <summary>How the run clipped its gradients.</summary>
    public ClippingKind Clipping { get; init; } = ClippingKind.Unknown;

    /// <summary>The threshold, when clipping by norm.</summary>
    public double? MaxNorm { get; init; }

    /// <summary>Whether <see cref="MaxNorm"/> is the framework's default rather than a figure the log states.</summary>
    public bool MaxNormAssumed { get; init; }

    /// <summary>The bound on each element, when clipping by value.</summary>
    public double? ClipValue { get; init; }

    /// <summary>Whether the run classified or regressed, when known.</summary>
    public TaskKind? Task { get; init; }

    /// <summary>The number of classes, for classification: chance accuracy is one over it.</summary>
    public int? ClassCount { get; init; }

    /// <summary>
    /// For regression, the validation loss of always predicting the training targets' mean: a model no better than that
    /// has learned nothing.
    /// </summary>
    public double? MeanPredictionLoss { get; init; }

    /// <summary>
    /// For a language model, the validation loss of predicting each token by its training frequency alone (the log of the
    /// unigram perplexity): a model no better has learned nothing of the context.
    /// </summary>
    public double? UnigramLoss { get; init; }

    /// <summary>How many optimizer steps the run took in all, when known: a sparse log holds fewer rows than that.</summary>
    public int? TotalSteps { get; init; }

    /// <summary>
    /// Whether each logged loss is the mean over the steps since the row before (as Hugging Face's Trainer logs it) rather
    /// than the logged step's own loss.
    /// </summary>
    public bool LossIsIntervalMean { get; init; }

    /// <summary>What the trace was read from (a format or file name), when it was read from a log.</summary>
    public string? Source { get; init; }

    /// <summary>Whether the run is known to have clipped its gradients.</summary>
    public bool ClippingEnabled => Clipping is ClippingKind.Norm or ClippingKind.Value or ClippingKind.Adaptive;
}
