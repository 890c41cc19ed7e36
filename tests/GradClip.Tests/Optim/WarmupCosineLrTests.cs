using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class WarmupCosineLrTests
{
    private const double Base = 0.1, StartFactor = 0.1, Min = 1e-3;
    private const int Warmup = 5, Total = 25;

    private static List<double> Run(Func<Optimizer, LearningRateScheduler> create, int steps)
    {
        var sgd = new Sgd([Parameter(1)], Base);
        LearningRateScheduler schedule = create(sgd);
        var seen = new List<double> { sgd.LearningRate };
        for (int step = 1; step <= steps; step++)
        {
            schedule.Step();
            seen.Add(sgd.LearningRate);
        }
        return seen;
    }

    [Fact]
    public void Warms_up_as_LinearWarmup_then_anneals_as_CosineAnnealingLr_started_at_the_junction()
    {
        List<double> combined = Run(o => new WarmupCosineLr(o, StartFactor, Warmup, Total, Min), Total);
        List<double> warmup = Run(o => new LinearWarmup(o, StartFactor, Warmup), Warmup);
        List<double> cosine = Run(o => new CosineAnnealingLr(o, Total - Warmup, Min), Total - Warmup);

        for (int step = 0; step <= Warmup; step++)
        {
            Assert.Equal(warmup[step], combined[step], 12);
        }
        for (int step = Warmup; step <= Total; step++)
        {
            Assert.Equal(cosine[step - Warmup], combined[step], 12);
        }
    }

    [Fact]
    public void Joins_continuously_at_the_base_rate_and_ends_at_the_minimum()
    {
        List<double> lr = Run(o => new WarmupCosineLr(o, StartFactor, Warmup, Total, Min), Total);

        Assert.Equal(Base * StartFactor, lr[0], 12);
        Assert.Equal(Base, lr[Warmup], 12);
        Assert.Equal(Min, lr[Total], 12);
        // The last warm-up increment is (1 − startFactor)·base/warmup = 0.018; the first cosine decrement is
        // (base − min)·(1 − cos(π/20))/2 ≈ 0.0006: no jump at the junction is larger than a warm-up increment.
        double warmupIncrement = (1 - StartFactor) * Base / Warmup;
        Assert.Equal(warmupIncrement, lr[Warmup] - lr[Warmup - 1], 12);
        Assert.Equal((Base - Min) * (1 - Math.Cos(Math.PI / (Total - Warmup))) / 2, lr[Warmup] - lr[Warmup + 1], 12);
        for (int step = 1; step <= Total; step++)
        {
            Assert.True(Math.Abs(lr[step] - lr[step - 1]) <= warmupIncrement + 1e-12, $"jump at step {step}");
        }
    }

    [Theory]
    [InlineData(0, 5, 25, 0, "startFactor", 0)]
    [InlineData(0.1, 0, 25, 0, "warmupSteps", 0)]
    [InlineData(0.1, 5, 5, 0, "totalSteps", 5)]
    [InlineData(0.1, 5, 25, -1, "minLearningRate", -1)]
    public void Invalid_settings_name_the_argument_and_the_value(
        double startFactor, int warmupSteps, int totalSteps, double minLearningRate, string argument, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new WarmupCosineLr(new Sgd([Parameter(1)]), startFactor, warmupSteps, totalSteps, minLearningRate));

        Assert.Equal(argument, ex.ParamName);
        Assert.Equal(value, Convert.ToDouble(ex.ActualValue));
    }
}
