using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Packaging;

/// <summary>The tool package, installed as a user installs it (<c>dotnet tool install</c>) and run as <c>gradclip</c>.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class ToolPackageTests(PackedPackages packages)
{
    [Fact]
    public void The_installed_tool_answers_to_gradclip_and_its_usage_says_gradclip()
    {
        var (exitCode, output) = PackedPackages.Run(packages.Tool, "--help");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Usage:\n  gradclip [command] [options]", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("GradClip.Cli", output, StringComparison.Ordinal);
        foreach (string command in new[] { "train", "predict", "compare", "recommend", "report", "explain", "export" })
        {
            Assert.Contains($"\n  {command} ", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_installed_tool_works_a_clipping_step_through_and_reports_the_package_version()
    {
        var (exitCode, output) = PackedPackages.Run(packages.Tool, "explain", "--grad", "3,4", "--max-norm", "1");
        var (versionExit, version) = PackedPackages.Run(packages.Tool, "--version");

        Assert.True(exitCode == 0, output);
        Assert.Contains("‖g1‖₂ = √(3² + 4²) = √25 = 5", output, StringComparison.Ordinal);
        Assert.Equal(0, versionExit);
        Assert.Equal(PackedPackages.Version, version.Trim().Split('+')[0]);
    }

    [Fact]
    public void The_installed_tool_refuses_an_unknown_command_with_exit_2_and_points_to_gradclip_help()
    {
        var (exitCode, output) = PackedPackages.Run(packages.Tool, "trian");

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("Unrecognized command or argument 'trian'", output, StringComparison.Ordinal);
        Assert.Contains("Run 'gradclip --help'", output, StringComparison.Ordinal);
    }
}
