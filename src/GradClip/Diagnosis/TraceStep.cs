namespace GradClip.Diagnosis;

/// <summary>
/// One step row for <see cref="RunTraceBuilder.AddStep"/>: null where the log did not record a field at that step, NaN or
/// ±∞ where it recorded that value.
/// </summary>
/// <param name="Step">The optimizer step, counting from 1 (as the log numbers it).</param>
/// <param name="Epoch">The epoch the step belongs to; fractional where the log says how far into the epoch it was.</param>
/// <param name="Loss">The training loss of the step's mini-batch (or the log's running mean).</param>
/// <param name="NormBefore">The total gradient norm before clipping.</param>
/// <param name="NormAfter">The total gradient norm after clipping.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="Clipped">Whether clipping changed the step's gradients.</param>
public readonly record struct TraceStep(
    int Step,
    double? Epoch,
    double? Loss,
    double? NormBefore,
    double? NormAfter = null,
    double? LearningRate = null,
    bool? Clipped = null);
