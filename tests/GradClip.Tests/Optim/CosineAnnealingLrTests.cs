using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class CosineAnnealingLrTests
{
    private const double Base = 0.1, Min = 0.01;

    private static double ClosedForm(int step) => Min + (Base - Min) * (1 + Math.Cos(Math.PI * step / 10)) / 2;

    [Fact]
    public void Follows_the_closed_form_from_the_base_rate_to_the_minimum()
    {
        var sgd = new Sgd([Parameter(1)], Base);
        var schedule = new CosineAnnealingLr(sgd, maxSteps: 10, minLearningRate: Min);
        Assert.Equal(Base, sgd.LearningRate, 12);

        for (int step = 1; step <= 10; step++)
        {
            schedule.Step();
            Assert.Equal(ClosedForm(step), sgd.LearningRate, 12);
        }

        // Halfway is the midpoint; the end is the minimum.
        Assert.Equal(Min, sgd.LearningRate, 12);
        Assert.Equal((Base + Min) / 2, ClosedForm(5), 12);
    }

    [Fact]
    public void Past_max_steps_it_rises_again_as_PyTorchs_closed_form_does()
    {
        var sgd = new Sgd([Parameter(1)], Base);
        var schedule = new CosineAnnealingLr(sgd, maxSteps: 10, minLearningRate: Min);

        for (int step = 1; step <= 20; step++)
        {
            schedule.Step();
        }

        Assert.Equal(Base, sgd.LearningRate, 12);
    }

    [Fact]
    public void The_minimum_defaults_to_zero()
    {
        var sgd = new Sgd([Parameter(1)], Base);
        var schedule = new CosineAnnealingLr(sgd, maxSteps: 2);

        schedule.Step();
        schedule.Step();

        Assert.Equal(0, sgd.LearningRate, 12);
    }

    [Theory]
    [InlineData(0, 0, "maxSteps", 0)]
    [InlineData(10, -1e-3, "minLearningRate", -1e-3)]
    public void Invalid_settings_name_the_argument_and_the_value(int maxSteps, double minLearningRate, string argument, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new CosineAnnealingLr(new Sgd([Parameter(1)]), maxSteps, minLearningRate));

        Assert.Equal(argument, ex.ParamName);
        Assert.Equal(value, Convert.ToDouble(ex.ActualValue));
    }
}
