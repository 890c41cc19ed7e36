using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>Rows gathered for one forward pass: the feature matrix and the classification labels or regression targets.</summary>
/// <param name="Features">rows × features.</param>
/// <param name="Labels">The class of each row, for classification.</param>
/// <param name="Targets">rows × 1 target values, for regression.</param>
internal sealed record Batch(Tensor Features, int[]? Labels, Tensor? Targets)
{
    /// <summary>The number of rows.</summary>
    public int Rows => Features.Shape[0];
}
