namespace GradClip.Optim;

/// <summary>
/// A copy of everything an optimizer carries from step to step, for a checkpoint: <see cref="Optimizer.ExportState"/>
/// makes it and <see cref="Optimizer.ImportState"/> puts it back, so that training resumes exactly.
/// </summary>
/// <param name="LearningRate">The learning rate of the next step.</param>
/// <param name="Parameters">
/// The state of each parameter, in the order of <see cref="Optimizer.Parameters"/>: null before its first step (and
/// always for plain SGD); otherwise the optimizer's own kind of <see cref="ParameterState"/>.
/// </param>
public sealed record OptimizerState(double LearningRate, IReadOnlyList<ParameterState?> Parameters);
