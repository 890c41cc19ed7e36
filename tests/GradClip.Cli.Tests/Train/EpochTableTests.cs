using GradClip.Metrics;
using GradClip.Cli.Train;
using GradClip.Monitoring;
using Spectre.Console;

namespace GradClip.Cli.Tests.Train;

public class EpochTableTests
{
    [Fact]
    public void Shows_the_seed_columns_with_one_row_per_epoch()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 120;

        console.Write(EpochTable.Of([new EpochSummary(1, 10, 15.2, 20.5, 5, 0.75, 0, 2.3, 2.1, [new MetricValue("val_accuracy", 0.45)])]));

        string text = writer.ToString();
        Assert.Contains("Grad norm before", text);
        Assert.Contains("mean / max", text);
        Assert.Contains("15.2 / 20.5", text);
        Assert.Contains("75 %", text);
        Assert.Contains("45 %", text);
        Assert.Contains("2.3", text);
    }
}
