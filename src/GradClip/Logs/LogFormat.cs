namespace GradClip.Logs;

/// <summary>The kinds of training log that <see cref="LogReader"/> reads.</summary>
public enum LogFormat
{
    /// <summary>Hugging Face Trainer's <c>trainer_state.json</c>: <c>log_history</c> entries every <c>logging_steps</c>.</summary>
    HuggingFaceTrainer,

    /// <summary>Lightning's <c>CSVLogger</c> <c>metrics.csv</c>: step rows and epoch rows, each with empty cells for the other's columns.</summary>
    LightningCsv,

    /// <summary>Keras's <c>CSVLogger</c> file: one row per epoch (epoch, loss, accuracy, val_loss, val_accuracy…).</summary>
    KerasCsv,

    /// <summary>A CSV file with a step, a loss and a gradient norm column.</summary>
    Csv,

    /// <summary>A JSON-lines file, one object per step with a step, a loss and a gradient norm.</summary>
    JsonLines,

    /// <summary>A GradClip run folder: <c>steps.jsonl</c>, <c>metrics.jsonl</c> and <c>summary.json</c>.</summary>
    GradClipRun,
}
