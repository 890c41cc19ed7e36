using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Metrics;

namespace GradClip.Cli.Compare;

/// <summary>
/// The best strategy of a comparison and why, judged as a user would: by its final validation figure (the weights it
/// ends with, not a lucky epoch), with a diverged or collapsed run ranked below every sound one; ties go to the lower
/// final validation loss, then to the strategy given first.
/// </summary>
public static class CompareWinner
{
    /// <summary>The winning row of <paramref name="rows"/> (in the order given) by the final <paramref name="headline"/> figure, or null when none has one.</summary>
    public static ComparisonRow? Pick(IReadOnlyList<ComparisonRow> rows, EpochMetric headline) =>
        rows.Select((row, order) => (row, order))
            .Where(r => r.row.FinalValMetric is not null)
            .OrderBy(r => r.row.Diverged || r.row.Collapsed)
            .ThenBy(r => headline.HigherIsBetter ? -r.row.FinalValMetric!.Value : r.row.FinalValMetric!.Value)
            .ThenBy(r => r.row.FinalValLoss ?? double.PositiveInfinity)
            .ThenBy(r => r.order)
            .Select(r => r.row)
            .FirstOrDefault();

    /// <summary>One sentence naming the winner of <paramref name="rows"/> by <paramref name="headline"/> and why.</summary>
    public static string Sentence(IReadOnlyList<ComparisonRow> rows, EpochMetric headline)
    {
        ArgumentNullException.ThrowIfNull(headline);
        if (Pick(rows, headline) is not { } winner)
        {
            return "No strategy ended with a finite validation figure, so none wins.";
        }
        string figure = $"final {headline.Name} {MetricText.Of(headline, winner.FinalValMetric)}";
        var unsound = rows.Where(r => r.Diverged || r.Collapsed).Select(r => $"{r.Strategy} {(r.Diverged ? "diverged" : "collapsed")}").ToList();
        string against = unsound.Count == 0 ? "" : $"; counted against the others: {string.Join(", ", unsound)}";
        string caveat = winner.Diverged || winner.Collapsed ? " (every strategy diverged or collapsed)" : "";
        return $"Best: {winner.Strategy}, with the {(rows.Count > 1 ? "best " : "")}{figure}{caveat}{against}.";
    }
}
