namespace GradClip.Logs;

/// <summary>
/// What the user tells about a log that it may not tell itself: the columns (or JSON keys) holding the step, the loss
/// and the gradient norms before and after clipping, when their names cannot be guessed, and the max_norm the run
/// clipped at (0: the run did not clip, as Hugging Face's <c>max_grad_norm=0</c>).
/// </summary>
/// <param name="StepColumn">The column of the optimizer step.</param>
/// <param name="LossColumn">The column of the training loss.</param>
/// <param name="NormColumn">The column of the total gradient norm before clipping.</param>
/// <param name="NormAfterColumn">The column of the total gradient norm after clipping.</param>
/// <param name="MaxNorm">The threshold the run clipped the total norm at; 0 when it did not clip.</param>
public sealed record LogOptions(
    string? StepColumn = null,
    string? LossColumn = null,
    string? NormColumn = null,
    string? NormAfterColumn = null,
    double? MaxNorm = null);
