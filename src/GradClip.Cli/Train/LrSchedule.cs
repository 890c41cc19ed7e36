namespace GradClip.Cli.Train;

/// <summary>The learning-rate schedules <c>--lr-schedule</c> offers; each advances once per optimizer step.</summary>
public enum LrSchedule
{
    /// <summary>The learning rate stays at <c>--lr</c>.</summary>
    Constant,

    /// <summary>Half a cosine from <c>--lr</c> down to 0 over the run (PyTorch's <c>CosineAnnealingLR</c>).</summary>
    Cosine,

    /// <summary>×0.1 after each third of the run's epochs (PyTorch's <c>StepLR</c>).</summary>
    Step,

    /// <summary>A linear warm-up over <c>--warmup</c> epochs, then half a cosine down to 0 (Hugging Face's cosine schedule with warm-up).</summary>
    WarmupCosine,
}
