using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Train;

namespace GradClip.Cli.Compare;

/// <summary>
/// One clipping strategy of <c>gradclip compare</c>, as written in <c>--strategies</c>: <c>none</c>, <c>norm:MAX</c>,
/// <c>value:C</c>, <c>autoclip[:PERCENTILE]</c>, <c>zclip[:Z]</c> or <c>agc[:λ]</c>.
/// </summary>
/// <param name="Text">The strategy as written.</param>
/// <param name="Mode">How it clips.</param>
/// <param name="Setting">Its number (max_norm, clip value, percentile, z threshold or λ), or null for the mode's default.</param>
public sealed record ClipStrategy(string Text, ClipMode Mode, double? Setting)
{
    /// <summary>What <c>--strategies</c> accepts, for messages.</summary>
    public const string Forms = "none, norm:MAX, value:C, autoclip[:PERCENTILE], zclip[:Z], agc[:LAMBDA]";

    /// <summary>The strategy's folder name in the comparison's output folder: its text with ':' as '-'.</summary>
    public string Folder => Text.Replace(':', '-');

    /// <summary>Parses a comma-separated list, naming <c>--strategies</c> and the entry in any error.</summary>
    public static IReadOnlyList<ClipStrategy> ParseList(string text)
    {
        var strategies = text.Split(',', StringSplitOptions.TrimEntries).Select(Parse).ToList();
        if (strategies.GroupBy(s => s.Folder).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new UsageException("--strategies", $"'{repeated.Key}' is listed twice.");
        }
        return strategies;
    }

    /// <summary>Parses one strategy.</summary>
    public static ClipStrategy Parse(string text)
    {
        string[] parts = text.Split(':');
        var mode = parts[0] switch
        {
            "none" => ClipMode.None,
            "norm" => ClipMode.Norm,
            "value" => ClipMode.Value,
            "autoclip" => ClipMode.AutoClip,
            "zclip" => ClipMode.ZClip,
            "agc" => ClipMode.Agc,
            _ => throw Problem(text, "is not a strategy"),
        };
        bool needsSetting = mode is ClipMode.Norm or ClipMode.Value;
        if (parts.Length > 2 || (mode == ClipMode.None && parts.Length > 1) || (needsSetting && parts.Length < 2))
        {
            throw Problem(text, needsSetting ? "needs its number, e.g. norm:1 or value:0.5" : "has the wrong number of parts");
        }
        double? setting = parts.Length == 2 ? Number(text, parts[1]) : null;
        return new ClipStrategy(text, mode, setting);
    }

    /// <summary>The <c>train</c> option this strategy's number sets (e.g. <c>--percentile</c> for autoclip), or null for none.</summary>
    public string? SettingOption => Mode switch
    {
        ClipMode.Norm => "--max-norm",
        ClipMode.Value => "--clip-value",
        ClipMode.AutoClip => "--percentile",
        ClipMode.ZClip => "--z-threshold",
        ClipMode.Agc => "--agc-clipping",
        _ => null,
    };

    /// <summary>The run's options with this strategy's clipping, writing into <paramref name="folder"/>.</summary>
    public TrainOptions ApplyTo(TrainOptions options, string folder) => Mode switch
    {
        ClipMode.Norm => options with { Clip = Mode, MaxNorm = Setting!.Value, OutputFolder = folder },
        ClipMode.Value => options with { Clip = Mode, ClipValue = Setting!.Value, OutputFolder = folder },
        ClipMode.AutoClip => options with { Clip = Mode, Percentile = Setting ?? options.Percentile, OutputFolder = folder },
        ClipMode.ZClip => options with { Clip = Mode, ZThreshold = Setting ?? options.ZThreshold, OutputFolder = folder },
        ClipMode.Agc => options with { Clip = Mode, AgcClipping = Setting ?? options.AgcClipping, OutputFolder = folder },
        _ => options with { Clip = Mode, OutputFolder = folder },
    };

    // No white space inside an entry: "norm: 1" would otherwise be a second, differently named copy of norm:1.
    private static double Number(string text, string number) =>
        double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value > 0
            ? value
            : throw Problem(text, $"has '{number}' where a finite number greater than zero belongs");

    private static UsageException Problem(string text, string what) =>
        new("--strategies", $"'{text}' {what}; the forms are {Forms}.");
}
