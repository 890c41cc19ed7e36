namespace GradClip.Monitoring;

/// <summary>What a health check needs to know about how a run was set up.</summary>
/// <param name="ClippingEnabled">Whether any clipping was configured.</param>
/// <param name="MaxNorm">The threshold, when clipping by norm.</param>
/// <param name="ClassCount">The number of classes, for classification: chance accuracy is one over it.</param>
/// <param name="MeanPredictionLoss">
/// For regression, the validation loss of always predicting the training targets' mean: a model no better than that has
/// learned nothing.
/// </param>
public sealed record RunSetup(bool ClippingEnabled, double? MaxNorm = null, int? ClassCount = null, double? MeanPredictionLoss = null);
