using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class StepLrTests
{
    [Fact]
    public void Decays_by_gamma_every_step_size_steps()
    {
        var sgd = new Sgd([Parameter(1)], 0.1);
        var schedule = new StepLr(sgd, stepSize: 3, gamma: 0.5);
        var seen = new List<double> { schedule.LastLearningRate };

        for (int step = 1; step <= 7; step++)
        {
            schedule.Step();
            seen.Add(sgd.LearningRate);
        }

        // base · γ^⌊step/3⌋ for steps 0..7
        double[] expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025];
        Assert.Equal(expected, seen, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Gamma_defaults_to_PyTorchs_one_tenth()
    {
        var schedule = new StepLr(new Sgd([Parameter(1)], 1), stepSize: 2);

        Assert.Equal(0.1, schedule.Gamma);
    }

    [Theory]
    [InlineData(0, 0.1, "stepSize", 0)]
    [InlineData(-3, 0.1, "stepSize", -3)]
    [InlineData(2, -0.1, "gamma", -0.1)]
    public void Invalid_settings_name_the_argument_and_the_value(int stepSize, double gamma, string argument, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StepLr(new Sgd([Parameter(1)]), stepSize, gamma));

        Assert.Equal(argument, ex.ParamName);
        Assert.Equal(value, Convert.ToDouble(ex.ActualValue));
    }
}
