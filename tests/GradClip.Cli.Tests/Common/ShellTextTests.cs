using System.Diagnostics;
using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Common;

public sealed class ShellTextTests
{
    [Theory]
    [InlineData("runs/2026-12-07_0315", "runs/2026-12-07_0315")]
    [InlineData("my run", "'my run'")]
    [InlineData("x$(touch pwned)", "'x$(touch pwned)'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    public void Quotes_exactly_the_words_a_shell_would_change(string word, string expected) =>
        Assert.Equal(expected, ShellText.Quote(word));

    [Theory]
    [InlineData("x$(touch pwned)")]
    [InlineData("a'b\"c`d`\\e;f|g&h*i?j~k{l}m\nn")]
    public void A_quoted_word_reaches_a_real_shell_unchanged_and_runs_nothing(string word)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var shell = Process.Start(new ProcessStartInfo("sh", ["-c", $"printf %s {ShellText.Quote(word)}"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        })!;
        string echoed = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();

        Assert.Equal(word, echoed);
    }
}
