using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class RmsPropTests
{
    // ε far from the default, so that where it is added shows in the result.
    private const double Rate = 0.1, Alpha = 0.9, Eps = 0.1;

    [Fact]
    public void Defaults_are_PyTorchs()
    {
        var rmsProp = new RmsProp([Parameter(1)]);

        Assert.Equal(1e-2, rmsProp.LearningRate);
        Assert.Equal(0.99, rmsProp.Alpha);
        Assert.Equal(1e-8, rmsProp.Epsilon);
        Assert.Equal(0, rmsProp.WeightDecay);
        Assert.Equal(0, rmsProp.Momentum);
        Assert.False(rmsProp.Centered);
    }

    [Fact]
    public void Steps_divide_the_gradient_by_the_root_mean_square_plus_epsilon()
    {
        var p = Parameter(1);
        var rmsProp = new RmsProp([p], Rate, Alpha, Eps);
        double s = 0, expected = 1;

        StepWith(rmsProp, p, 2);
        // s = 0.1·4 = 0.4; p = 1 − 0.1·2/(√0.4 + 0.1)
        s = Alpha * s + (1 - Alpha) * 2 * 2;
        expected -= Rate * 2 / (Math.Sqrt(s) + Eps);
        AssertClose(expected, p[0]);

        StepWith(rmsProp, p, -1);
        // s = 0.9·0.4 + 0.1·1 = 0.46
        s = Alpha * s + (1 - Alpha) * -1 * -1;
        expected -= Rate * -1 / (Math.Sqrt(s) + Eps);
        AssertClose(expected, p[0]);

        RmsPropState state = rmsProp.StateOf(p)!;
        Assert.Equal(2, state.StepCount);
        AssertClose(s, state.SquareAverage[0]);
        Assert.True(state.GradientAverage.IsEmpty);
        Assert.True(state.MomentumBuffer.IsEmpty);
    }

    [Fact]
    public void Centered_subtracts_the_squared_gradient_average_from_the_mean_square()
    {
        var p = Parameter(1);
        var rmsProp = new RmsProp([p], Rate, Alpha, Eps, centered: true);
        double s = 0, a = 0, expected = 1;

        StepWith(rmsProp, p, 2);
        // s = 0.4, a = 0.2; variance estimate 0.4 − 0.04 = 0.36, denominator 0.6 + 0.1
        s = Alpha * s + (1 - Alpha) * 2 * 2;
        a = Alpha * a + (1 - Alpha) * 2;
        expected -= Rate * 2 / (Math.Sqrt(s - a * a) + Eps);
        AssertClose(expected, p[0]);

        StepWith(rmsProp, p, -1);
        // s = 0.46, a = 0.9·0.2 − 0.1 = 0.08; variance estimate 0.46 − 0.0064
        s = Alpha * s + (1 - Alpha) * -1 * -1;
        a = Alpha * a + (1 - Alpha) * -1;
        expected -= Rate * -1 / (Math.Sqrt(s - a * a) + Eps);
        AssertClose(expected, p[0]);
        AssertClose(a, rmsProp.StateOf(p)!.GradientAverage[0]);
    }

    [Fact]
    public void Momentum_buffer_starts_at_zero_and_accumulates_the_normalized_gradients()
    {
        var p = Parameter(1);
        var rmsProp = new RmsProp([p], Rate, Alpha, Eps, momentum: 0.5);
        double s = 0, b = 0, expected = 1;

        StepWith(rmsProp, p, 2);
        // b = 0.5·0 + 2/(√0.4 + 0.1)
        s = Alpha * s + (1 - Alpha) * 2 * 2;
        b = 0.5 * b + 2 / (Math.Sqrt(s) + Eps);
        expected -= Rate * b;
        AssertClose(expected, p[0]);

        StepWith(rmsProp, p, -1);
        s = Alpha * s + (1 - Alpha) * -1 * -1;
        b = 0.5 * b + -1 / (Math.Sqrt(s) + Eps);
        expected -= Rate * b;
        AssertClose(expected, p[0]);
        AssertClose(b, rmsProp.StateOf(p)!.MomentumBuffer[0]);
    }

    [Fact]
    public void Weight_decay_adds_lambda_times_the_parameter_to_the_gradient()
    {
        var p = Parameter(2);
        var rmsProp = new RmsProp([p], Rate, Alpha, Eps, weightDecay: 0.5);
        double s = 0, expected = 2;

        StepWith(rmsProp, p, 1);
        // g' = 1 + 0.5·2 = 2
        double g = 1 + 0.5 * expected;
        s = Alpha * s + (1 - Alpha) * g * g;
        expected -= Rate * g / (Math.Sqrt(s) + Eps);
        AssertClose(expected, p[0]);

        StepWith(rmsProp, p, 1);
        g = 1 + 0.5 * expected;
        s = Alpha * s + (1 - Alpha) * g * g;
        expected -= Rate * g / (Math.Sqrt(s) + Eps);
        AssertClose(expected, p[0]);
    }

    [Fact]
    public void State_is_created_on_the_first_step_that_sees_a_gradient()
    {
        var p = Parameter(1);
        var rmsProp = new RmsProp([p], momentum: 0.9, centered: true);

        rmsProp.Step();
        Assert.Null(rmsProp.StateOf(p));

        StepWith(rmsProp, p, 1);
        RmsPropState state = rmsProp.StateOf(p)!;
        Assert.Equal(1, state.StepCount);
        Assert.Equal(1, state.GradientAverage.Length);
        Assert.Equal(1, state.MomentumBuffer.Length);
    }

    [Theory]
    [InlineData(-1, 0.99, 1e-8, 0, 0, "learningRate", -1)]
    [InlineData(1e-2, 1.01, 1e-8, 0, 0, "alpha", 1.01)]
    [InlineData(1e-2, -0.5, 1e-8, 0, 0, "alpha", -0.5)]
    [InlineData(1e-2, 0.99, -1e-8, 0, 0, "epsilon", -1e-8)]
    [InlineData(1e-2, 0.99, 1e-8, -1, 0, "weightDecay", -1)]
    [InlineData(1e-2, 0.99, 1e-8, 0, -0.9, "momentum", -0.9)]
    public void Invalid_hyperparameters_name_the_argument_and_the_value(
        double learningRate, double alpha, double epsilon, double weightDecay, double momentum, string argument, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new RmsProp([Parameter(1)], learningRate, alpha, epsilon, weightDecay, momentum));

        Assert.Equal(argument, ex.ParamName);
        Assert.Equal(value, (double)ex.ActualValue!);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(0.5, false)]
    public void Minimizes_a_quadratic(double momentum, bool centered)
    {
        double distance = DistanceAfterMinimizingQuadratic(
            x => new RmsProp([x], 0.01, momentum: momentum, centered: centered), 2000);

        Assert.True(distance < 1e-4, $"max |x − 3| = {distance}");
    }
}
