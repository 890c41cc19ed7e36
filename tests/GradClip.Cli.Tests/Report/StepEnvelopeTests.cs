using GradClip.Cli.Report;

namespace GradClip.Cli.Tests.Report;

public sealed class StepEnvelopeTests
{
    [Fact]
    public void Keeps_each_buckets_first_lowest_highest_and_last_point_in_step_order()
    {
        // Steps 1–6 fall in the first of two buckets, 7–12 in the second (x − 1 over 11, times 2).
        double[] xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        double[] ys = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];

        var (x, y) = StepEnvelope.Reduce(xs, ys, buckets: 2);

        // First bucket: first (1, 3), lowest (2, 1: the first of the two 1s), highest and last (6, 9).
        // Second bucket: first and lowest (7, 2), highest and last (12, 8).
        Assert.Equal([1.0, 2, 6, 7, 12], x);
        Assert.Equal([3.0, 1, 9, 2, 8], y);
    }

    [Fact]
    public void Leaves_a_series_of_at_most_four_points_per_bucket_as_it_is()
    {
        double[] xs = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] ys = [8, 7, 6, 5, 4, 3, 2, 1];

        var (x, y) = StepEnvelope.Reduce(xs, ys, buckets: 2);

        Assert.Same(xs, x);
        Assert.Same(ys, y);
    }

    [Fact]
    public void Keeps_a_single_step_spike_and_dip_among_a_hundred_thousand_steps()
    {
        double[] xs = [.. Enumerable.Range(1, 100_000).Select(i => (double)i)];
        double[] ys = [.. xs.Select(x => Math.Sin(x / 500))];
        ys[54_320] = 1000;
        ys[76] = -1000;

        var (x, y) = StepEnvelope.Reduce(xs, ys);

        Assert.True(x.Length <= 4 * StepEnvelope.Buckets, $"{x.Length} points");
        Assert.Contains((54_321.0, 1000.0), x.Zip(y));
        Assert.Contains((77.0, -1000.0), x.Zip(y));
        Assert.Equal((1.0, 100_000.0), (x[0], x[^1]));
        Assert.True(x.Zip(x.Skip(1)).All(p => p.First < p.Second), "the points stay in step order");
    }

    [Fact]
    public void Peaks_keep_the_highest_point_of_each_bucket()
    {
        double[] xs = [1, 2, 3, 4, 5, 6];
        double[] ys = [1, 5, 2, 7, 3, 3];

        var (x, y) = StepEnvelope.Peaks(xs, ys, buckets: 2);

        // Buckets: 1–3 ((x − 1) / 5 × 2 < 1) and 4–6.
        Assert.Equal([2.0, 4], x);
        Assert.Equal([5.0, 7], y);
    }

    [Fact]
    public void Marks_keep_the_first_mark_of_each_bucket_that_has_one()
    {
        // Over steps 1–101 in 10 buckets: 3 and 5 share bucket 0, 50 is in bucket 4, 99 and 101 in bucket 9.
        double[] marks = StepEnvelope.Marks([3, 5, 50, 99, 101], first: 1, last: 101, buckets: 10);

        Assert.Equal([3.0, 50, 99], marks);
    }

    [Fact]
    public void Refuses_series_of_different_lengths_and_no_buckets()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StepEnvelope.Reduce([1, 2], [1], buckets: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepEnvelope.Reduce([1, 2], [1, 2], buckets: 0));
    }
}
