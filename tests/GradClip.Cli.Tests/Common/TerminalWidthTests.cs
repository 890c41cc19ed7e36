using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Common;

public class TerminalWidthTests
{
    [Theory]
    [InlineData("132", false, 80, 132)]
    [InlineData("132", true, 80, 132)]
    [InlineData(null, true, 80, TerminalWidth.Piped)]
    [InlineData(null, false, 97, 97)]
    [InlineData("wide", false, 97, 97)]
    [InlineData("5", true, 80, TerminalWidth.Piped)]
    [InlineData("-100", false, 80, 80)]
    public void Columns_wins_then_a_pipe_is_wide_then_the_terminal_decides(string? columns, bool redirected, int detected, int expected)
    {
        Assert.Equal(expected, TerminalWidth.Choose(columns, redirected, detected));
    }
}
