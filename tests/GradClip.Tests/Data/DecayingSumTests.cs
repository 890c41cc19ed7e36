using GradClip.Data;

namespace GradClip.Tests.Data;

public class DecayingSumTests
{
    [Fact]
    public void Each_target_is_the_decaying_sum_of_its_row_computed_by_hand()
    {
        var data = DecayingSum.Generate(seed: 3, rows: 20, steps: 7, decay: 0.5);

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(7, data.FeatureCount);
        Assert.Equal(["x_0", "x_1", "x_2", "x_3", "x_4", "x_5", "x_6"], data.FeatureNames.ToArray());
        for (int row = 0; row < data.RowCount; row++)
        {
            var x = data.Features.AsSpan(row * 7, 7);
            // Horner's form written out: x6 + ½x5 + ¼x4 + … + x0/64.
            double expected = x[6] + x[5] / 2.0 + x[4] / 4.0 + x[3] / 8.0 + x[2] / 16.0 + x[1] / 32.0 + x[0] / 64.0;
            Assert.Equal(expected, data.Targets[row], 6);
            foreach (float value in x)
            {
                Assert.InRange(value, -0.5f, 0.5f);
            }
        }
    }

    [Fact]
    public void The_targets_variance_is_the_chance_error_of_predicting_zero()
    {
        var data = DecayingSum.Generate(seed: 0, rows: 20_000, steps: 50, decay: 0.8);

        double meanSquare = data.Targets.Average(t => (double)t * t);

        Assert.Equal(1.0 / 12 / (1 - 0.64), DecayingSum.ChanceMse(0.8), 12);
        Assert.Equal(DecayingSum.ChanceMse(0.8), meanSquare, 0.01);
    }

    [Fact]
    public void The_same_seed_gives_the_same_data_and_another_seed_other_data()
    {
        var a = DecayingSum.Generate(1, 10, 5, 0.8);
        var b = DecayingSum.Generate(1, 10, 5, 0.8);
        var c = DecayingSum.Generate(2, 10, 5, 0.8);

        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.Equal(a.Targets.ToArray(), b.Targets.ToArray());
        Assert.NotEqual(a.Features.ToArray(), c.Features.ToArray());
    }

    [Theory]
    [InlineData(0, 5, 0.5, "rows")]
    [InlineData(5, 0, 0.5, "steps")]
    [InlineData(5, 5, 1.0, "decay")]
    [InlineData(5, 5, -0.1, "decay")]
    [InlineData(5, 5, double.NaN, "decay")]
    public void Out_of_range_arguments_are_named(int rows, int steps, double decay, string name)
    {
        var ex = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => DecayingSum.Generate(0, rows, steps, decay));

        Assert.Equal(name, ex.ParamName);
    }
}
