using GradClip.Optim;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class AdamTests
{
    // Hyperparameters far from the defaults, so that a misplaced ε or bias correction changes the result visibly.
    private const double Rate = 0.1, Beta1 = 0.8, Beta2 = 0.9, Eps = 0.1;

    [Fact]
    public void Defaults_are_PyTorchs()
    {
        var adam = new Adam([Parameter(1)]);

        Assert.Equal(1e-3, adam.LearningRate);
        Assert.Equal(0.9, adam.Beta1);
        Assert.Equal(0.999, adam.Beta2);
        Assert.Equal(1e-8, adam.Epsilon);
        Assert.Equal(0, adam.WeightDecay);
        Assert.False(adam.AmsGrad);
    }

    [Fact]
    public void Steps_use_bias_corrected_moments_with_epsilon_after_the_square_root()
    {
        var p = Parameter(1);
        var adam = new Adam([p], Rate, Beta1, Beta2, Eps);
        double m = 0, v = 0, expected = 1;

        StepWith(adam, p, 2);
        // t = 1: m = 0.2·2 = 0.4, v = 0.1·4 = 0.4; step = lr/(1 − β1) = 0.5; denominator = √0.4/√0.1 + ε = 2.1
        m = Beta1 * m + (1 - Beta1) * 2;
        v = Beta2 * v + (1 - Beta2) * 2 * 2;
        expected -= Rate / (1 - Beta1) * m / (Math.Sqrt(v) / Math.Sqrt(1 - Beta2) + Eps);
        AssertClose(expected, p[0]);

        StepWith(adam, p, -1);
        // t = 2: m = 0.8·0.4 − 0.2 = 0.12, v = 0.9·0.4 + 0.1 = 0.46; corrections 1 − 0.8² and 1 − 0.9²
        m = Beta1 * m + (1 - Beta1) * -1;
        v = Beta2 * v + (1 - Beta2) * -1 * -1;
        expected -= Rate / (1 - Beta1 * Beta1) * m / (Math.Sqrt(v) / Math.Sqrt(1 - Beta2 * Beta2) + Eps);
        AssertClose(expected, p[0]);

        AdamState state = adam.StateOf(p)!;
        Assert.Equal(2, state.StepCount);
        AssertClose(m, state.FirstMoment[0]);
        AssertClose(v, state.SecondMoment[0]);
        Assert.True(state.MaxSecondMoment.IsEmpty);
    }

    [Fact]
    public void Weight_decay_is_an_L2_term_added_to_the_gradient_before_the_moments()
    {
        var p = Parameter(2);
        var adam = new Adam([p], Rate, Beta1, Beta2, Eps, weightDecay: 0.5);
        double m = 0, v = 0, expected = 2;

        StepWith(adam, p, 1);
        // g' = g + λ·p = 1 + 0.5·2 = 2
        double g = 1 + 0.5 * expected;
        m = Beta1 * m + (1 - Beta1) * g;
        v = Beta2 * v + (1 - Beta2) * g * g;
        expected -= Rate / (1 - Beta1) * m / (Math.Sqrt(v) / Math.Sqrt(1 - Beta2) + Eps);
        AssertClose(expected, p[0]);

        StepWith(adam, p, -3);
        // g' = −3 + 0.5·p
        g = -3 + 0.5 * expected;
        m = Beta1 * m + (1 - Beta1) * g;
        v = Beta2 * v + (1 - Beta2) * g * g;
        expected -= Rate / (1 - Beta1 * Beta1) * m / (Math.Sqrt(v) / Math.Sqrt(1 - Beta2 * Beta2) + Eps);
        AssertClose(expected, p[0]);
    }

    [Fact]
    public void AmsGrad_divides_by_the_largest_second_moment_seen()
    {
        var p = Parameter(1);
        var adam = new Adam([p], Rate, Beta1, Beta2, Eps, amsGrad: true);
        double m = 0, v = 0, expected = 1;

        StepWith(adam, p, 2);
        m = Beta1 * m + (1 - Beta1) * 2;
        v = Beta2 * v + (1 - Beta2) * 2 * 2;
        double maxV = v;
        expected -= Rate / (1 - Beta1) * m / (Math.Sqrt(maxV) / Math.Sqrt(1 - Beta2) + Eps);
        AssertClose(expected, p[0]);

        StepWith(adam, p, 0.1f);
        // v falls to 0.9·0.4 + 0.1·0.01 = 0.361, but the denominator keeps max(0.4, 0.361) = 0.4.
        m = Beta1 * m + (1 - Beta1) * 0.1;
        v = Beta2 * v + (1 - Beta2) * 0.1 * 0.1;
        maxV = Math.Max(maxV, v);
        expected -= Rate / (1 - Beta1 * Beta1) * m / (Math.Sqrt(maxV) / Math.Sqrt(1 - Beta2 * Beta2) + Eps);
        AssertClose(expected, p[0]);

        AdamState state = adam.StateOf(p)!;
        AssertClose(0.361, state.SecondMoment[0]);
        AssertClose(0.4, state.MaxSecondMoment[0]);
    }

    [Fact]
    public void Each_parameter_counts_its_own_steps_for_the_bias_correction()
    {
        var early = Parameter(1);
        var late = Parameter(1);
        var adam = new Adam([early, late], Rate, Beta1, Beta2, Eps);

        StepWith(adam, early, 2);
        Assert.Null(adam.StateOf(late));
        SetGradient(late, 2);
        adam.Step();

        Assert.Equal(2, adam.StateOf(early)!.StepCount);
        Assert.Equal(1, adam.StateOf(late)!.StepCount);
        // At t = 1 the corrected moments are g and |g|: p = 1 − lr·g/(|g| + ε).
        AssertClose(1 - Rate * 2 / (2 + Eps), late[0]);
    }

    [Theory]
    [InlineData(-1e-3, 0.9, 0.999, 1e-8, 0, "learningRate", -1e-3)]
    [InlineData(1e-3, 1, 0.999, 1e-8, 0, "beta1", 1)]
    [InlineData(1e-3, -0.1, 0.999, 1e-8, 0, "beta1", -0.1)]
    [InlineData(1e-3, 0.9, 1, 1e-8, 0, "beta2", 1)]
    [InlineData(1e-3, 0.9, 0.999, -1e-8, 0, "epsilon", -1e-8)]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, -0.5, "weightDecay", -0.5)]
    public void Invalid_hyperparameters_name_the_argument_and_the_value(
        double learningRate, double beta1, double beta2, double epsilon, double weightDecay, string argument, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => new Adam([Parameter(1)], learningRate, beta1, beta2, epsilon, weightDecay));

        Assert.Equal(argument, ex.ParamName);
        Assert.Equal(value, (double)ex.ActualValue!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Minimizes_a_quadratic(bool amsGrad)
    {
        double distance = DistanceAfterMinimizingQuadratic(x => new Adam([x], 0.05, amsGrad: amsGrad), 1000);

        Assert.True(distance < 1e-4, $"max |x − 3| = {distance}");
    }
}
