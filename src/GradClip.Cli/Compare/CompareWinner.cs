using GradClip.Cli.Common;
using GradClip.Cli.Report;

namespace GradClip.Cli.Compare;

/// <summary>
/// The best strategy of a comparison and why, judged as a user would: by its final validation figure (the weights it
/// ends with, not a lucky epoch), with a diverged or collapsed run ranked below every sound one; ties go to the lower
/// final validation loss, then to the strategy given first.
/// </summary>
public static class CompareWinner
{
    /// <summary>The winning row of <paramref name="rows"/> (in the order given), or null when none has a final validation figure.</summary>
    public static ComparisonRow? Pick(IReadOnlyList<ComparisonRow> rows, bool classification) =>
        rows.Select((row, order) => (row, order))
            .Where(r => r.row.FinalValMetric is not null)
            .OrderBy(r => r.row.Diverged || r.row.Collapsed)
            .ThenBy(r => classification ? -r.row.FinalValMetric!.Value : r.row.FinalValMetric!.Value)
            .ThenBy(r => r.row.FinalValLoss ?? double.PositiveInfinity)
            .ThenBy(r => r.order)
            .Select(r => r.row)
            .FirstOrDefault();

    /// <summary>One sentence naming the winner of <paramref name="rows"/> and why.</summary>
    public static string Sentence(IReadOnlyList<ComparisonRow> rows, bool classification)
    {
        if (Pick(rows, classification) is not { } winner)
        {
            return "No strategy ended with a finite validation figure, so none wins.";
        }
        string figure = classification ? $"final validation accuracy {NumberText.Percent(winner.FinalValMetric!.Value)}" : $"final validation loss {NumberText.Short(winner.FinalValMetric!.Value)}";
        var unsound = rows.Where(r => r.Diverged || r.Collapsed).Select(r => $"{r.Strategy} {(r.Diverged ? "diverged" : "collapsed")}").ToList();
        string against = unsound.Count == 0 ? "" : $"; counted against the others: {string.Join(", ", unsound)}";
        string caveat = winner.Diverged || winner.Collapsed ? " (every strategy diverged or collapsed)" : "";
        return $"Best: {winner.Strategy}, with the {(rows.Count > 1 ? "best " : "")}{figure}{caveat}{against}.";
    }
}
