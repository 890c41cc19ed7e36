using GradClip.Diagnosis;

namespace GradClip.Tests.Diagnosis;

public class RunTraceBuilderTests
{
    [Fact]
    public void Tells_a_field_that_was_not_logged_from_a_logged_NaN()
    {
        var builder = new RunTraceBuilder();
        builder.AddStep(new TraceStep(1, 0.5, 2.3, null));
        builder.AddStep(new TraceStep(2, 1.0, double.NaN, double.PositiveInfinity));

        var trace = builder.Build();

        Assert.Equal(2, trace.Count);
        Assert.Equal([1, 2], trace.Steps.ToArray());
        Assert.False(trace.NormBefore.IsLogged(0));
        Assert.Null(trace.NormBefore[0]);
        Assert.True(trace.NormBefore.IsLogged(1));
        Assert.Equal(double.PositiveInfinity, trace.NormBefore[1]);
        Assert.True(trace.Loss.IsLogged(1));
        Assert.True(double.IsNaN(trace.Loss[1]!.Value));
        Assert.Equal(2, trace.Loss.LoggedCount);
        Assert.True(trace.Loss.IsComplete);
        Assert.Equal(1, trace.NormBefore.LoggedCount);
        Assert.Equal(0, trace.NormAfter.LoggedCount);
        Assert.Equal([(1, double.PositiveInfinity)], trace.NormBefore.Logged());
    }

    [Fact]
    public void Keeps_values_that_start_after_many_unlogged_rows()
    {
        var builder = new RunTraceBuilder();
        for (int step = 1; step <= 1000; step++)
        {
            builder.AddStep(new TraceStep(step, null, step, step % 300 == 0 ? step / 10.0 : null));
        }

        var trace = builder.Build();

        Assert.Equal([(299, 30.0), (599, 60.0), (899, 90.0)], trace.NormBefore.Logged());
        Assert.True(double.IsNaN(trace.NormBefore.Values[298]));
        Assert.Equal(1000, trace.Loss.Values[999]);
        Assert.Equal(899, trace.RowOf(900));
        Assert.Equal(-1, trace.RowOf(1001));
    }

    [Fact]
    public void Refuses_a_step_that_does_not_follow_the_last()
    {
        var builder = new RunTraceBuilder();
        builder.AddStep(new TraceStep(10, null, 1, 1));

        var error = Assert.Throws<ArgumentException>(() => builder.AddStep(new TraceStep(10, null, 1, 1)));

        Assert.Contains("Step 10 follows step 10", error.Message);
    }

    [Fact]
    public void Carries_one_column_per_layer_and_refuses_norms_that_do_not_match_the_layers()
    {
        var builder = new RunTraceBuilder(["0.weight", "2.weight"]);
        builder.AddStep(new TraceStep(1, 1, 1, 5), [3.0, 4.0]);
        builder.AddStep(new TraceStep(2, 1, 1, 5));

        var trace = builder.Build();

        Assert.Equal(["0.weight", "2.weight"], trace.LayerNorms.Select(c => c.Name));
        Assert.Equal(4.0, trace.LayerNorms[1][0]);
        Assert.Null(trace.LayerNorms[1][1]);
        Assert.Throws<ArgumentException>(() => builder.AddStep(new TraceStep(3, 1, 1, 5), [1.0]));
        Assert.Throws<ArgumentException>(() => new RunTraceBuilder(["a", "a"]));
    }

    [Fact]
    public void A_trace_built_earlier_keeps_its_rows_while_the_builder_appends()
    {
        var builder = new RunTraceBuilder();
        builder.AddStep(new TraceStep(1, 1, 1, 1));
        var early = builder.Build();

        for (int step = 2; step <= 600; step++)
        {
            builder.AddStep(new TraceStep(step, 1, step, step));
        }

        Assert.Equal(1, early.Count);
        Assert.Equal(1, early.Loss[0]);
        Assert.Equal(600, builder.Build().Count);
    }

    [Fact]
    public void Streams_a_million_steps_allocating_under_150_megabytes_in_all()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var builder = new RunTraceBuilder();
        for (int step = 1; step <= 1_000_000; step++)
        {
            builder.AddStep(new TraceStep(step, step / 1000.0, 1.0 / step, 2, 1, 1e-3, false));
        }
        var trace = builder.Build();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1_000_000, trace.Count);
        Assert.True(allocated < 150_000_000, $"{allocated} bytes allocated");
    }
}
