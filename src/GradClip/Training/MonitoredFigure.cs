namespace GradClip.Training;

/// <summary>The validation figure that picks the epoch whose weights a run keeps, and that early stopping watches.</summary>
public enum MonitoredFigure
{
    /// <summary>The validation loss, lower is better (Keras's <c>val_loss</c>).</summary>
    ValidationLoss,

    /// <summary>The validation accuracy, higher is better (Keras's <c>val_accuracy</c>); classification only.</summary>
    ValidationAccuracy,
}
