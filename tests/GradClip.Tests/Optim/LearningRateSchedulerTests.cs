using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class LearningRateSchedulerTests
{
    [Fact]
    public void Creating_a_schedule_applies_its_first_value_and_keeps_the_base_rate()
    {
        var sgd = new Sgd([Parameter(1)], 0.2);

        var warmup = new LinearWarmup(sgd, 0.5, 4);

        Assert.Equal(0.2, warmup.BaseLearningRate);
        Assert.Equal(0, warmup.StepCount);
        Assert.Equal(0.1, warmup.LastLearningRate, 12);
        Assert.Equal(0.1, sgd.LearningRate, 12);
        Assert.Same(sgd, warmup.Optimizer);
    }

    [Fact]
    public void Each_step_counts_and_gives_the_optimizer_the_new_value()
    {
        var sgd = new Sgd([Parameter(1)], 1);
        var schedule = new StepLr(sgd, stepSize: 1, gamma: 0.5);

        schedule.Step();
        schedule.Step();

        Assert.Equal(2, schedule.StepCount);
        Assert.Equal(0.25, schedule.LastLearningRate);
        Assert.Equal(0.25, sgd.LearningRate);
    }

    [Fact]
    public void The_schedule_overrides_a_rate_set_by_hand_at_its_next_step()
    {
        var sgd = new Sgd([Parameter(1)], 1);
        var schedule = new StepLr(sgd, stepSize: 10);

        sgd.LearningRate = 7;
        schedule.Step();

        Assert.Equal(1, sgd.LearningRate);
    }

    [Fact]
    public void A_null_optimizer_is_rejected()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new StepLr(null!, 1));

        Assert.Equal("optimizer", ex.ParamName);
    }
}
