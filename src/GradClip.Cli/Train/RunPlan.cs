using GradClip.Diagnosis;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>
/// What one kind of <c>train</c> run brings to the flow every run shares (output folder, logs, checkpoints, Ctrl+C, verdicts,
/// files, report): a run on data or one that plays an environment.
/// </summary>
/// <param name="TrainedOn">What the run trains on, as its checkpoint records it; a resumed run must agree.</param>
/// <param name="WriteSetup">Prints the setup the run is about to use.</param>
/// <param name="Fit">Trains: (onEpoch, resumeFrom, onCheckpoint, cancellation) to the result, as the trainers' <c>Fit</c>.</param>
/// <param name="Judge">The verdicts on the finished run.</param>
/// <param name="Source">What the run trained on, in the words of its last line.</param>
/// <param name="Metrics">The metrics the run reports.</param>
/// <param name="WriteRunFiles">Writes the model and summary (not the metrics, which the logs hold); returns the file names.</param>
internal sealed record RunPlan(
    IReadOnlyDictionary<string, string> TrainedOn,
    Action WriteSetup,
    Func<Action<EpochSummary>?, TrainingCheckpoint?, Action<TrainingCheckpoint>, CancellationToken, TrainingResult> Fit,
    Func<TrainingResult, IReadOnlyList<HealthFinding>> Judge,
    string Source,
    TaskMetrics Metrics,
    Func<TrainingResult, IReadOnlyList<HealthFinding>, TimeSpan, IReadOnlyList<string>> WriteRunFiles);
