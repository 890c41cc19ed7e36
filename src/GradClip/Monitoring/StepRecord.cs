namespace GradClip.Monitoring;

/// <summary>What happened in one optimizer step: the loss, the gradient norms before and after clipping, and the decision.</summary>
/// <param name="Epoch">The epoch, counting from 1.</param>
/// <param name="Step">The step within the whole run, counting from 1.</param>
/// <param name="Loss">The mini-batch loss.</param>
/// <param name="NormBefore">The total gradient norm before clipping.</param>
/// <param name="NormAfter">The total gradient norm after clipping.</param>
/// <param name="Coefficient">The factor clipping scaled the total norm by (1 when it did not fire).</param>
/// <param name="Clipped">Whether clipping changed the gradients.</param>
/// <param name="Skipped">Whether the optimizer step was skipped (non-finite gradients under the skip policy).</param>
/// <param name="LearningRate">The learning rate used for the step.</param>
/// <param name="ParameterNorms">Each parameter's gradient norm before clipping, by name.</param>
/// <param name="NonFiniteParameters">The parameters whose gradients held NaN or ±∞.</param>
public sealed record StepRecord(
    int Epoch,
    int Step,
    double Loss,
    double NormBefore,
    double NormAfter,
    double Coefficient,
    bool Clipped,
    bool Skipped,
    double LearningRate,
    IReadOnlyDictionary<string, double> ParameterNorms,
    IReadOnlyList<string> NonFiniteParameters);
