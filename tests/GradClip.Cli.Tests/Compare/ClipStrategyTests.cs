using GradClip.Cli.Common;
using GradClip.Cli.Compare;
using GradClip.Cli.Train;

namespace GradClip.Cli.Tests.Compare;

public class ClipStrategyTests
{
    [Theory]
    [InlineData("none", ClipMode.None, null, "none")]
    [InlineData("norm:1", ClipMode.Norm, 1.0, "norm-1")]
    [InlineData("value:0.5", ClipMode.Value, 0.5, "value-0.5")]
    [InlineData("autoclip", ClipMode.AutoClip, null, "autoclip")]
    [InlineData("autoclip:25", ClipMode.AutoClip, 25.0, "autoclip-25")]
    [InlineData("zclip:3", ClipMode.ZClip, 3.0, "zclip-3")]
    [InlineData("agc:0.02", ClipMode.Agc, 0.02, "agc-0.02")]
    public void Parses_each_form(string text, ClipMode mode, double? setting, string folder)
    {
        var strategy = ClipStrategy.Parse(text);

        Assert.Equal(mode, strategy.Mode);
        Assert.Equal(setting, strategy.Setting);
        Assert.Equal(folder, strategy.Folder);
    }

    [Theory]
    [InlineData("clamp", "'clamp' is not a strategy")]
    [InlineData("norm", "'norm' needs its number")]
    [InlineData("none:1", "'none:1' has the wrong number of parts")]
    [InlineData("norm:-1", "'norm:-1' has '-1' where a finite number greater than zero belongs")]
    [InlineData("value:abc", "'value:abc' has 'abc' where")]
    [InlineData("norm:1,norm:1", "'norm-1' is listed twice")]
    [InlineData("norm:1,norm: 1", "'norm: 1' has ' 1' where a finite number greater than zero belongs")]
    public void Refuses_a_bad_entry_naming_the_option_and_the_entry(string text, string problem)
    {
        var ex = Assert.Throws<UsageException>(() => ClipStrategy.ParseList(text));

        Assert.StartsWith("--strategies: ", ex.Problems[0]);
        Assert.Contains(problem, ex.Problems[0]);
    }

    [Fact]
    public void Applies_its_setting_to_the_matching_option_only()
    {
        var options = new TrainOptions(null, null, null, [4], 1, 8, 0.1, OptimizerKind.Sgd, ClipMode.None, 1, 2, 0.5, 10, 2.5, 0.01,
            GradClip.Training.NonFiniteAction.Skip, 0.2, 0, "base", true);

        var norm = ClipStrategy.Parse("norm:7").ApplyTo(options, "out/norm-7");
        var value = ClipStrategy.Parse("value:3").ApplyTo(options, "out/value-3");

        Assert.Equal((ClipMode.Norm, 7.0, 0.5, "out/norm-7"), (norm.Clip, norm.MaxNorm, norm.ClipValue, norm.OutputFolder));
        Assert.Equal((ClipMode.Value, 1.0, 3.0), (value.Clip, value.MaxNorm, value.ClipValue));
    }
}
