using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Diagnosis;
using Spectre.Console;

namespace GradClip.Cli.Diagnose;

/// <summary>The counterfactual replay as a terminal table: one row per clipping policy.</summary>
public static class ReplayTable
{
    /// <summary>Writes what each policy would have done, with a line saying what was replayed; nothing when the log has no norms.</summary>
    public static void Write(IAnsiConsole console, ClipReplay replay)
    {
        if (replay.StepsReplayed == 0)
        {
            return;
        }
        console.MarkupLine(Markup.Escape(Heading(replay)));
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Policy", "Clip rate", "Mean coefficient", "Spikes capped");
        foreach (var policy in replay.Policies)
        {
            table.AddRow(Markup.Escape(policy.Name), NumberText.Percent(policy.ClipRate), NumberText.Brief(policy.MeanCoefficient), Markup.Escape(Spikes(policy, replay)));
        }
        console.Write(table);
    }

    /// <summary>What the replay covered, in one sentence.</summary>
    public static string Heading(ClipReplay replay)
    {
        string sampled = replay.TotalSteps > replay.StepsReplayed ? $" (of {Text(replay.TotalSteps)} steps run)" : "";
        string nonFinite = replay.NonFiniteSteps > 0 ? $"; {Text(replay.NonFiniteSteps)} NaN/∞ norms left out, no policy repairs them" : "";
        return $"What each clipping policy would have done to the {Text(replay.StepsReplayed)} logged norms{sampled}, without retraining; " +
            $"{Text(replay.Spikes.Count)} spike(s) ≥ {Text(ClipReplay.SpikeFactor)}× the recent median{nonFinite}:";
    }

    /// <summary>How many of the trace's spikes a policy caps, and the first of them.</summary>
    public static string Spikes(PolicyReplay policy, ClipReplay replay) =>
        replay.Spikes.Count == 0 ? "-"
        : $"{Text(policy.CappedSpikes.Count)} of {Text(replay.Spikes.Count)}" + (policy.CappedSpikes.Count > 0 ? $" (first at step {Text(policy.CappedSpikes[0])})" : "");

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
