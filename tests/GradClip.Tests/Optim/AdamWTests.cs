using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class AdamWTests
{
    private const double Rate = 0.1, Beta1 = 0.8, Beta2 = 0.9, Eps = 0.1, Decay = 0.5;

    [Fact]
    public void Defaults_are_PyTorchs_with_weight_decay_one_hundredth()
    {
        var adamW = new AdamW([Parameter(1)]);

        Assert.Equal(1e-3, adamW.LearningRate);
        Assert.Equal(0.9, adamW.Beta1);
        Assert.Equal(0.999, adamW.Beta2);
        Assert.Equal(1e-8, adamW.Epsilon);
        Assert.Equal(0.01, adamW.WeightDecay);
        Assert.False(adamW.AmsGrad);
    }

    [Fact]
    public void Weight_decay_shrinks_the_parameter_and_never_enters_the_moments()
    {
        var p = Parameter(2);
        var adamW = new AdamW([p], Rate, Beta1, Beta2, Eps, Decay);
        double m = 0, v = 0, expected = 2;

        StepWith(adamW, p, 1);
        // p ← p·(1 − lr·λ) = 2·0.95 = 1.9, then an Adam step on the raw gradient 1.
        expected *= 1 - Rate * Decay;
        m = Beta1 * m + (1 - Beta1) * 1;
        v = Beta2 * v + (1 - Beta2) * 1 * 1;
        expected -= Rate / (1 - Beta1) * m / (Math.Sqrt(v) / Math.Sqrt(1 - Beta2) + Eps);
        AssertClose(expected, p[0]);

        StepWith(adamW, p, -3);
        expected *= 1 - Rate * Decay;
        m = Beta1 * m + (1 - Beta1) * -3;
        v = Beta2 * v + (1 - Beta2) * -3 * -3;
        expected -= Rate / (1 - Beta1 * Beta1) * m / (Math.Sqrt(v) / Math.Sqrt(1 - Beta2 * Beta2) + Eps);
        AssertClose(expected, p[0]);

        AdamState state = adamW.StateOf(p)!;
        AssertClose(m, state.FirstMoment[0]);
        AssertClose(v, state.SecondMoment[0]);
    }

    [Fact]
    public void Decoupled_decay_gives_a_different_step_from_Adams_L2_decay()
    {
        var decoupled = Parameter(2);
        var coupled = Parameter(2);
        var adamW = new AdamW([decoupled], Rate, Beta1, Beta2, Eps, Decay);
        var adam = new Adam([coupled], Rate, Beta1, Beta2, Eps, Decay);

        StepWith(adamW, decoupled, 1);
        StepWith(adam, coupled, 1);

        // AdamW: 2·0.95 − lr·1/(1 + ε) = 1.8091; Adam sees g' = 2: 2 − lr·2/(2 + ε) = 1.9048.
        AssertClose(2 * (1 - Rate * Decay) - Rate * 1 / (1 + Eps), decoupled[0]);
        AssertClose(2 - Rate * 2 / (2 + Eps), coupled[0]);
    }

    [Fact]
    public void Without_decay_it_steps_exactly_as_Adam()
    {
        var a = Parameter(1, -2);
        var b = Parameter(1, -2);
        var adamW = new AdamW([a], Rate, Beta1, Beta2, Eps, weightDecay: 0, amsGrad: true);
        var adam = new Adam([b], Rate, Beta1, Beta2, Eps, amsGrad: true);

        foreach (float g in new[] { 2f, 0.1f, -1f })
        {
            StepWith(adamW, a, g, -g);
            StepWith(adam, b, g, -g);
        }

        Assert.Equal(b.ToArray(), a.ToArray());
        Assert.Equal(adam.StateOf(b)!.MaxSecondMoment.ToArray(), adamW.StateOf(a)!.MaxSecondMoment.ToArray());
    }

    [Theory]
    [InlineData(-1e-3, 0.9, 0.999, 1e-8, 0, "learningRate", -1e-3)]
    [InlineData(1e-3, 1, 0.999, 1e-8, 0, "beta1", 1)]
    [InlineData(1e-3, 0.9, 1.5, 1e-8, 0, "beta2", 1.5)]
    [InlineData(1e-3, 0.9, 0.999, -1, 0, "epsilon", -1)]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, -0.01, "weightDecay", -0.01)]
    public void Invalid_hyperparameters_name_the_argument_and_the_value(
        double learningRate, double beta1, double beta2, double epsilon, double weightDecay, string argument, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new AdamW([Parameter(1)], learningRate, beta1, beta2, epsilon, weightDecay));

        Assert.Equal(argument, ex.ParamName);
        Assert.Equal(value, (double)ex.ActualValue!);
    }

    [Fact]
    public void State_is_created_on_the_first_step_that_sees_a_gradient()
    {
        var p = Parameter(1);
        var adamW = new AdamW([p]);

        adamW.Step();
        Assert.Null(adamW.StateOf(p));
        Assert.Equal(1f, p[0]);

        StepWith(adamW, p, 1);
        Assert.Equal(1, adamW.StateOf(p)!.StepCount);
    }

    [Theory]
    // Without decay the minimum is 3 exactly.
    [InlineData(0, 1e-4)]
    // The default decay pulls toward zero; the pull balances Adam's restoring step lr·g/√v̂ where g ≈ λ·x·√v̂,
    // about 0.01 while v̂ still remembers the early large gradients.
    [InlineData(0.01, 2e-2)]
    public void Minimizes_a_quadratic(double weightDecay, double tolerance)
    {
        double distance = DistanceAfterMinimizingQuadratic(x => new AdamW([x], 0.05, weightDecay: weightDecay), 2000);

        Assert.True(distance < tolerance, $"max |x − 3| = {distance}");
    }
}
