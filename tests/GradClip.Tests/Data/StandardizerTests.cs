using GradClip.Data;

namespace GradClip.Tests.Data;

public class StandardizerTests
{
    [Fact]
    public void A_regression_target_is_standardized_with_its_training_rows_and_restored_exactly()
    {
        // Training rows 0 and 2 hold targets 1 and 5: mean 3, population deviation 2. Row 1 (target 100) is held out.
        var data = TabularData.ForRegression([0f, 0f, 0f], ["x"], [1f, 100f, 5f], new DataDescription("y", "test", "given"));

        var target = Standardizer.FitTarget(data, [0, 2]);
        float[] values = target.Transform([1f, 100f, 5f]);

        Assert.Equal((3.0, 2.0), (target.Means[0], target.StandardDeviations[0]));
        Assert.Equal(["y"], target.FeatureNames.ToArray());
        Assert.Equal([-1f, 48.5f, 1f], values);
        target.InverseTransform(values);
        Assert.Equal([1f, 100f, 5f], values);
    }

    [Fact]
    public void A_class_index_is_not_standardized()
    {
        var data = TabularData.ForClassification([0f, 1f], ["x"], [0, 1], ["a", "b"], new DataDescription("c", "test", "given"));

        Assert.Throws<ArgumentException>(() => Standardizer.FitTarget(data, [0, 1]));
    }

    [Fact]
    public void Means_and_population_deviations_match_a_hand_computation()
    {
        var data = TestData.Classification([1, 10, 2, 20, 3, 60], 2, [0, 1, 0]);

        var standardizer = Standardizer.Fit(data, [0, 1, 2]);

        // f0: mean 2, variance (1 + 0 + 1) / 3; f1: mean 30, variance (400 + 100 + 900) / 3.
        Assert.Equal([2.0, 30.0], standardizer.Means.ToArray());
        Assert.Equal(Math.Sqrt(2.0 / 3), standardizer.StandardDeviations[0], 12);
        Assert.Equal(Math.Sqrt(1400.0 / 3), standardizer.StandardDeviations[1], 12);
        Assert.Equal(standardizer.StandardDeviations.ToArray(), standardizer.Scales.ToArray());
        Assert.Empty(standardizer.ConstantFeatures);
        float[] x = standardizer.Transform(data.Features.AsSpan());
        Assert.Equal((float)(-1 / Math.Sqrt(2.0 / 3)), x[0]);
        Assert.Equal((float)(-20 / Math.Sqrt(1400.0 / 3)), x[1]);
        Assert.Equal(0f, x[2]);
        Assert.Equal((float)(30 / Math.Sqrt(1400.0 / 3)), x[5]);
    }

    [Fact]
    public void Standardized_training_rows_have_zero_mean_and_unit_deviation()
    {
        var data = BuiltInData.Shells();
        int[] train = [.. Enumerable.Range(0, 800)];

        float[] x = Standardizer.Fit(data, train).Transform(data.Features.AsSpan());

        for (int j = 0; j < data.FeatureCount; j++)
        {
            double[] column = [.. train.Select(row => (double)x[row * data.FeatureCount + j])];
            double mean = column.Average();
            Assert.Equal(0, mean, 5);
            Assert.Equal(1, Math.Sqrt(column.Average(v => (v - mean) * (v - mean))), 5);
        }
    }

    [Fact]
    public void Only_the_training_rows_set_the_statistics()
    {
        // Row 2 is a validation row far away; it must not move the mean or the deviation.
        var data = TestData.Classification([1, 3, 1000], 1, [0, 1, 0]);

        var standardizer = Standardizer.Fit(data, [0, 1]);

        Assert.Equal(2.0, standardizer.Means[0]);
        Assert.Equal(1.0, standardizer.StandardDeviations[0]);
        Assert.Equal([-1f, 1f, 998f], standardizer.Transform(data.Features.AsSpan()));
    }

    [Fact]
    public void A_constant_feature_is_only_centred_and_is_reported()
    {
        var data = TestData.Classification([5, 1, 5, 2, 5, 3, 7, 4], 2, [0, 1, 0, 1]);

        var standardizer = Standardizer.Fit(data, [0, 1, 2]);

        Assert.Equal(0.0, standardizer.StandardDeviations[0]);
        Assert.Equal(1.0, standardizer.Scales[0]);
        Assert.Equal(["f0"], standardizer.ConstantFeatures.ToArray());
        float[] x = standardizer.Transform(data.Features.AsSpan());
        Assert.Equal([0f, 0f, 0f, 2f], new[] { x[0], x[2], x[4], x[6] });
        Assert.All(x, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Rebuilt_from_its_saved_arrays_it_transforms_the_same()
    {
        var data = TestData.Classification([5, 1, 5, 2, 5, 4], 2, [0, 1, 0]);
        var fitted = Standardizer.Fit(data, [0, 1, 2]);

        var rebuilt = new Standardizer(
            fitted.FeatureNames.ToArray(), fitted.Means.ToArray(), fitted.StandardDeviations.ToArray());

        Assert.Equal(fitted.Transform(data.Features.AsSpan()), rebuilt.Transform(data.Features.AsSpan()));
        Assert.Equal(fitted.ConstantFeatures.ToArray(), rebuilt.ConstantFeatures.ToArray());
        Assert.Equal(fitted.Scales.ToArray(), rebuilt.Scales.ToArray());
    }

    [Fact]
    public void Transforms_in_place_when_source_and_destination_are_the_same()
    {
        var standardizer = new Standardizer(["a", "b"], [1, 10], [2, 5]);
        float[] rows = [3, 20, -1, 0];

        standardizer.Transform(rows, rows);

        Assert.Equal([1f, 2f, -1f, -2f], rows);
    }

    [Fact]
    public void Rejects_empty_or_unknown_training_rows()
    {
        var data = TestData.Classification([1, 2, 3], 1, [0, 1, 0]);

        Assert.Throws<ArgumentException>(() => Standardizer.Fit(data, []));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Standardizer.Fit(data, [0, 3]));
        Assert.Equal("trainRows", ex.ParamName);
        Assert.Contains("outside the 3 rows", ex.Message);
    }

    [Fact]
    public void Rejects_rows_of_the_wrong_width_and_a_destination_of_the_wrong_size()
    {
        var standardizer = new Standardizer(["a", "b"], [0, 0], [1, 1]);

        Assert.Throws<ArgumentException>(() => standardizer.Transform([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => standardizer.Transform([1, 2], new float[4]));
    }

    [Fact]
    public void Rejects_saved_statistics_that_do_not_fit()
    {
        Assert.Throws<ArgumentException>(() => new Standardizer(["a"], [0, 1], [1]));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new Standardizer(["a"], [0], [-1]));
        Assert.Equal("standardDeviations", negative.ParamName);
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => new Standardizer(["a"], [double.NaN], [1]));
        Assert.Contains("means[0] must be finite, but was NaN", nan.Message);
    }
}
