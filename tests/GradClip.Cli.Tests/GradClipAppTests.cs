using GradClip.Cli.Common;

namespace GradClip.Cli.Tests;

public sealed class GradClipAppTests
{
    [Fact]
    public void An_error_listing_100000_bracketed_names_prints_them_all_verbatim()
    {
        // Printed as markup, escaping made this take over a minute (quadratic in the brackets); as plain text it is linear.
        string names = string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"[layer{i}].weight"));

        var (code, output) = CliRunner.Run("train", "--clip", names);

        Assert.Equal(ExitCodes.BadInput, code);
        string flat = string.Concat(output.Split('\n', '\r'));
        Assert.Contains("[layer0].weight,[layer1].weight", flat);
        Assert.Contains("[layer99999].weight", flat);
    }
}
