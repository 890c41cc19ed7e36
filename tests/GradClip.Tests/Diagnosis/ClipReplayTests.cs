using GradClip.Adaptive;
using GradClip.Diagnosis;

namespace GradClip.Tests.Diagnosis;

public sealed class ClipReplayTests
{
    private static RunTrace Trace(double?[] norms, double? maxNorm = null)
    {
        var builder = new RunTraceBuilder { Setup = new RunSetup { MaxNorm = maxNorm, Clipping = maxNorm is null ? ClippingKind.Unknown : ClippingKind.Norm } };
        for (int i = 0; i < norms.Length; i++)
        {
            builder.AddStep(new TraceStep(10 * (i + 1), null, 1.0, norms[i]));
        }
        return builder.Build();
    }

    private static PolicyReplay Policy(ClipReplay replay, string name) => replay.Policies.Single(p => p.Name == name);

    [Fact]
    public void A_fixed_threshold_clips_the_norms_above_it_with_PyTorch_s_coefficient()
    {
        double[] norms = [0.5, 2, 1, 4];
        var replay = ClipReplay.Of(Trace([.. norms.Select(n => (double?)n)]));

        var one = Policy(replay, "max_norm 1");

        // min(1, 1 / (n + 1e-6)) by hand: 1, 1/2.000001, 1/1.000001, 1/4.000001.
        double expected = (1 + 1 / 2.000001 + 1 / 1.000001 + 1 / 4.000001) / 4;
        Assert.Equal(3, one.ClippedSteps);
        Assert.Equal(0.75, one.ClipRate);
        Assert.Equal(expected, one.MeanCoefficient, 12);
        Assert.Equal(0, Policy(replay, "max_norm 5").ClippedSteps);
        Assert.Equal(1, Policy(replay, "max_norm 5").MeanCoefficient);
    }

    [Fact]
    public void Spikes_are_norms_ten_times_the_recent_median_and_only_low_thresholds_cap_them()
    {
        double?[] norms = [1, 1.1, 0.9, 1, 1.05, 0.95, 12, 1, 9, 1];
        var replay = ClipReplay.Of(Trace(norms));

        Assert.Equal([70], replay.Spikes);
        Assert.Equal([70], Policy(replay, "max_norm 5").CappedSpikes);
        // p99 of the ten norms: rank 8.91 between 9 and 12, so 9 + 0.91 · 3 = 11.73, just below the spike of 12.
        var p99 = replay.Policies.Single(p => p.Name.StartsWith("p99", StringComparison.Ordinal));
        Assert.Equal(11.73, p99.MaxNorm!.Value, 9);
        Assert.Equal([70], p99.CappedSpikes);
        Assert.Equal(1, p99.ClippedSteps);
    }

    [Fact]
    public void Percentile_thresholds_come_from_the_trace_s_own_norms_and_the_run_s_own_max_norm_is_tried()
    {
        double?[] norms = [.. Enumerable.Range(1, 100).Select(i => (double?)i)];
        var replay = ClipReplay.Of(Trace(norms, maxNorm: 80));

        var p90 = replay.Policies.Single(p => p.Name.StartsWith("p90", StringComparison.Ordinal));
        Assert.Equal(90.1, p90.MaxNorm!.Value, 9);
        Assert.Equal(10, p90.ClippedSteps);
        // 81..100, and 80 itself: PyTorch's coefficient 80 / (80 + 1e-6) is just below 1.
        Assert.Equal(21, Policy(replay, "max_norm 80").ClippedSteps);
    }

    [Fact]
    public void Adaptive_policies_give_what_their_transforms_give_on_gradients_of_those_norms()
    {
        var random = new Random(3);
        double[] norms = [.. Enumerable.Range(0, 80).Select(i => i == 50 ? 400 : 1 + random.NextDouble())];
        var replay = ClipReplay.Of(Trace([.. norms.Select(n => (double?)n)]));
        var autoClip = new AutoClip();
        var zClip = new ZClip();

        var autoReports = norms.Select(n => autoClip.Apply([Reference.Parameter([(float)n])])).ToList();
        var zReports = norms.Select(n => zClip.Apply([Reference.Parameter([(float)n])])).ToList();

        Reference.Close(autoReports.Average(r => r.Coefficient), Policy(replay, "AutoClip p10").MeanCoefficient, 1e-6);
        Assert.Equal(autoReports.Count(r => r.Clipped), Policy(replay, "AutoClip p10").ClippedSteps);
        Reference.Close(zReports.Average(r => r.Coefficient), Policy(replay, "ZClip").MeanCoefficient, 1e-6);
        Assert.Equal(zReports.Count(r => r.Clipped), Policy(replay, "ZClip").ClippedSteps);
        Assert.Equal([510], Policy(replay, "ZClip").CappedSpikes);
    }

    [Fact]
    public void Non_finite_and_unlogged_norms_are_left_out_and_counted()
    {
        var replay = ClipReplay.Of(Trace([1, double.NaN, null, double.PositiveInfinity, 2]));

        Assert.Equal(2, replay.StepsReplayed);
        Assert.Equal(2, replay.NonFiniteSteps);
        Assert.Equal(50, replay.TotalSteps);
    }
}
