using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class SgdTests
{
    [Fact]
    public void Defaults_are_PyTorchs()
    {
        var sgd = new Sgd([Parameter(1)]);

        Assert.Equal(1e-3, sgd.LearningRate);
        Assert.Equal(0, sgd.Momentum);
        Assert.Equal(0, sgd.Dampening);
        Assert.Equal(0, sgd.WeightDecay);
        Assert.False(sgd.Nesterov);
        Assert.False(sgd.Maximize);
    }

    [Fact]
    public void Plain_steps_subtract_the_learning_rate_times_the_gradient()
    {
        var p = Parameter(1, -2);
        var sgd = new Sgd([p], learningRate: 0.1);

        StepWith(sgd, p, 0.5f, 1);
        // p ← p − lr·g
        double p0 = 1 - 0.1 * 0.5, p1 = -2 - 0.1 * 1;
        AssertClose(p0, p[0]);
        AssertClose(p1, p[1]);

        StepWith(sgd, p, -1, 2);
        AssertClose(p0 - 0.1 * -1, p[0]);
        AssertClose(p1 - 0.1 * 2, p[1]);
    }

    [Fact]
    public void Momentum_buffer_starts_as_the_first_gradient_and_dampens_later_ones()
    {
        var p = Parameter(1);
        var sgd = new Sgd([p], learningRate: 0.1, momentum: 0.9, dampening: 0.1);
        double expected = 1, buffer;

        StepWith(sgd, p, 2);
        // First step: b = g, no dampening.
        buffer = 2;
        expected -= 0.1 * buffer;
        AssertClose(expected, p[0]);
        AssertClose(buffer, sgd.StateOf(p)!.MomentumBuffer[0]);

        StepWith(sgd, p, -1);
        // b = μ·b + (1 − τ)·g = 0.9·2 + 0.9·(−1) = 0.9
        buffer = 0.9 * buffer + (1 - 0.1) * -1;
        expected -= 0.1 * buffer;
        AssertClose(expected, p[0]);

        StepWith(sgd, p, 0.5f);
        // b = 0.9·0.9 + 0.9·0.5 = 1.26
        buffer = 0.9 * buffer + (1 - 0.1) * 0.5;
        expected -= 0.1 * buffer;
        AssertClose(expected, p[0]);
        AssertClose(buffer, sgd.StateOf(p)!.MomentumBuffer[0]);
    }

    [Fact]
    public void Nesterov_steps_along_the_gradient_plus_momentum_times_the_buffer()
    {
        var p = Parameter(1);
        var sgd = new Sgd([p], learningRate: 0.1, momentum: 0.9, nesterov: true);
        double expected = 1, buffer;

        StepWith(sgd, p, 2);
        // b = g = 2; direction = g + μ·b = 2 + 1.8 = 3.8
        buffer = 2;
        expected -= 0.1 * (2 + 0.9 * buffer);
        AssertClose(expected, p[0]);

        StepWith(sgd, p, -1);
        // b = 0.9·2 − 1 = 0.8; direction = −1 + 0.9·0.8 = −0.28
        buffer = 0.9 * buffer + -1;
        expected -= 0.1 * (-1 + 0.9 * buffer);
        AssertClose(expected, p[0]);
    }

    [Fact]
    public void Weight_decay_adds_lambda_times_the_parameter_to_the_gradient_before_the_momentum()
    {
        var p = Parameter(2);
        var sgd = new Sgd([p], learningRate: 0.1, momentum: 0.5, weightDecay: 0.25);

        StepWith(sgd, p, 1);
        // d = g + λ·p = 1 + 0.25·2 = 1.5; b = d; p = 2 − 0.15 = 1.85
        double direction = 1 + 0.25 * 2;
        double buffer = direction;
        double expected = 2 - 0.1 * buffer;
        AssertClose(expected, p[0]);

        StepWith(sgd, p, 1);
        // d = 1 + 0.25·1.85; b = 0.5·1.5 + d
        direction = 1 + 0.25 * expected;
        buffer = 0.5 * buffer + direction;
        expected -= 0.1 * buffer;
        AssertClose(expected, p[0]);
    }

    [Fact]
    public void Maximize_climbs_the_gradient()
    {
        var p = Parameter(1);
        var sgd = new Sgd([p], learningRate: 0.1, weightDecay: 0.5, maximize: true);

        StepWith(sgd, p, 2);

        // d = −g + λ·p = −2 + 0.5 = −1.5; p = 1 + 0.15
        AssertClose(1 - 0.1 * (-2 + 0.5 * 1), p[0]);
    }

    [Fact]
    public void State_is_created_on_the_first_step_that_sees_a_gradient_and_only_with_momentum()
    {
        var p = Parameter(1);
        var plain = new Sgd([p], learningRate: 0.1);
        var withMomentum = new Sgd([p], learningRate: 0.1, momentum: 0.9);

        withMomentum.Step();
        Assert.Null(withMomentum.StateOf(p));

        StepWith(withMomentum, p, 1);
        plain.Step();
        Assert.NotNull(withMomentum.StateOf(p));
        Assert.Null(plain.StateOf(p));
    }

    [Theory]
    [InlineData(-0.1, 0, 0, "learningRate")]
    [InlineData(double.NaN, 0, 0, "learningRate")]
    [InlineData(0.1, -0.5, 0, "momentum")]
    [InlineData(0.1, 0, -1e-4, "weightDecay")]
    public void Negative_or_NaN_hyperparameters_name_the_argument_and_the_value(
        double learningRate, double momentum, double weightDecay, string argument)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new Sgd([Parameter(1)], learningRate, momentum, weightDecay: weightDecay));

        Assert.Equal(argument, ex.ParamName);
        Assert.Contains(argument, ex.Message);
        Assert.Equal(Math.Min(learningRate, Math.Min(momentum, weightDecay)), (double)ex.ActualValue!);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.9, 0.1)]
    public void Nesterov_requires_momentum_and_no_dampening(double momentum, double dampening)
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new Sgd([Parameter(1)], 0.1, momentum, dampening, nesterov: true));

        Assert.Equal("nesterov", ex.ParamName);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.9, true)]
    public void Minimizes_a_quadratic(double momentum, bool nesterov)
    {
        double distance = DistanceAfterMinimizingQuadratic(x => new Sgd([x], 0.05, momentum, nesterov: nesterov), 300);

        Assert.True(distance < 1e-4, $"max |x − 3| = {distance}");
    }
}
