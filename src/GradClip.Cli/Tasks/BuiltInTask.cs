using GradClip.Cli.Train;
using GradClip.Data;
using GradClip.Reinforcement;
using GradClip.Training;

namespace GradClip.Cli.Tasks;

/// <summary>
/// A built-in task that <c>gradclip train</c>, <c>compare</c> and <c>recommend</c> run by name: seeded data, the model it is
/// meant for, and the settings it trains with unless the command line says otherwise.
/// </summary>
/// <param name="Name">The name given to <c>--task</c>.</param>
/// <param name="Description">What the task trains, in a phrase without a final full stop (help texts join several).</param>
/// <param name="Data">Generates the task's data from a seed; null for a task that plays an environment (<see cref="Agent"/>).</param>
/// <param name="Model">Builds the model's shape for the data and the hidden widths.</param>
/// <param name="Hidden">The default hidden widths.</param>
/// <param name="Epochs">The default number of epochs.</param>
/// <param name="LearningRate">The default learning rate.</param>
/// <param name="Optimizer">The default optimizer.</param>
/// <param name="Standardize">Whether the features are standardized by default.</param>
/// <param name="BatchSize">The default number of rows per optimizer step.</param>
public sealed record BuiltInTask(
    string Name,
    string Description,
    Func<int, TabularData>? Data,
    Func<TabularData, IReadOnlyList<int>, ModelSpec> Model,
    IReadOnlyList<int> Hidden,
    int Epochs,
    double LearningRate,
    OptimizerKind Optimizer,
    bool Standardize,
    int BatchSize = TrainOptions.DefaultBatchSize)
{
    /// <summary>
    /// For a reinforcement-learning task, which plays an environment instead of training on data: the episodes of an epoch
    /// and of a step and the discount (its epochs, non-finite handling and checkpoints come from the command line); null for
    /// a task with data.
    /// </summary>
    public PolicyGradientOptions? Agent { get; init; }
}
