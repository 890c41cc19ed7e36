using System.Globalization;
using GradClip.Diagnosis;

namespace GradClip.Logs;

/// <summary>What a step log tells of the run's clipping, from the user's <c>--max-norm</c> or the norms after clipping.</summary>
internal static class LogSetup
{
    /// <summary>The setup of a log read row by row into <paramref name="rows"/>; what was assumed goes to <paramref name="notes"/>.</summary>
    public static RunSetup Of(LogOptions options, LogRow rows, string source, List<string> notes)
    {
        var setup = new RunSetup { Source = source };
        if (options.MaxNorm is 0)
        {
            return setup with { Clipping = ClippingKind.None };
        }
        if (options.MaxNorm is { } given)
        {
            return setup with { Clipping = ClippingKind.Norm, MaxNorm = given };
        }
        if (rows.ClippedSeen > 0)
        {
            rows.ClippedNorms.Sort();
            double inferred = Monitoring.Percentile.OfSorted(rows.ClippedNorms, 50);
            notes.Add($"max_norm is taken as {inferred.ToString("G4", CultureInfo.InvariantCulture)}, the median norm after clipping of the {rows.ClippedSeen.ToString(CultureInfo.InvariantCulture)} clipped steps (give --max-norm to set it).");
            return setup with { Clipping = ClippingKind.Norm, MaxNorm = inferred };
        }
        notes.Add(rows.NormsAfterSeen > 0
            ? "The norm after clipping never fell below the norm before: the run did not clip, or never needed to; give --max-norm if it clipped."
            : "The log does not say whether the run clipped: give --max-norm X if it clipped the total norm at X (--max-norm 0 if it did not clip).");
        return setup;
    }
}
