using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class LinearWarmupTests
{
    [Fact]
    public void Rises_linearly_from_the_start_factor_to_the_base_rate_then_holds()
    {
        var sgd = new Sgd([Parameter(1)], 0.1);
        var schedule = new LinearWarmup(sgd, startFactor: 0.25, warmupSteps: 4);
        var seen = new List<double> { sgd.LearningRate };

        for (int step = 1; step <= 6; step++)
        {
            schedule.Step();
            seen.Add(sgd.LearningRate);
        }

        // base · (0.25 + 0.75 · min(step, 4)/4): 0.025, 0.04375, 0.0625, 0.08125, then 0.1
        double[] expected = [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1];
        Assert.Equal(expected, seen, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Theory]
    [InlineData(0, 5, "startFactor", 0)]
    [InlineData(1.5, 5, "startFactor", 1.5)]
    [InlineData(double.NaN, 5, "startFactor", double.NaN)]
    [InlineData(0.5, 0, "warmupSteps", 0)]
    public void Invalid_settings_name_the_argument_and_the_value(double startFactor, int warmupSteps, string argument, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new LinearWarmup(new Sgd([Parameter(1)]), startFactor, warmupSteps));

        Assert.Equal(argument, ex.ParamName);
        Assert.Equal(value, Convert.ToDouble(ex.ActualValue));
    }
}
