using GradClip.Monitoring;

namespace GradClip.Cli.Report;

/// <summary>One line of <c>steps.jsonl</c> as read back: a step's figures, null where the run wrote null (not finite).</summary>
/// <param name="Epoch">The epoch, counting from 1.</param>
/// <param name="Step">The step within the whole run, counting from 1.</param>
/// <param name="Loss">The mini-batch loss.</param>
/// <param name="NormBefore">The total gradient norm before clipping.</param>
/// <param name="NormAfter">The total gradient norm after clipping.</param>
/// <param name="Clipped">Whether clipping changed the gradients.</param>
/// <param name="Skipped">Whether the optimizer step was skipped.</param>
/// <param name="ParameterNorms">Each parameter's gradient norm before clipping, by name, in the file's order.</param>
public sealed record StepRow(
    int Epoch,
    int Step,
    double? Loss,
    double? NormBefore,
    double? NormAfter,
    bool Clipped,
    bool Skipped,
    IReadOnlyList<KeyValuePair<string, double?>> ParameterNorms)
{
    /// <summary>The row <c>steps.jsonl</c> holds for <paramref name="record"/>: each figure as written, null where it is not finite.</summary>
    public static StepRow Of(StepRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new StepRow(record.Epoch, record.Step, Finite(record.Loss), Finite(record.NormBefore), Finite(record.NormAfter),
            record.Clipped, record.Skipped, [.. record.ParameterNorms.Select(p => KeyValuePair.Create(p.Key, Finite(p.Value)))]);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
