using Xunit.Sdk;

namespace GradClip.Tests.Fuzz;

public class ReaderProbeTests
{
    private static readonly byte[] Input = [1, 2, 3];

    [Fact]
    public void A_read_that_returns_is_accepted() =>
        Assert.True(ReaderProbe.Check<FormatException>(Input, _ => { }));

    [Fact]
    public void A_read_that_throws_the_documented_exception_is_a_refusal_not_a_failure() =>
        Assert.False(ReaderProbe.Check<FormatException>(Input, _ => throw new FormatException("bad")));

    [Fact]
    public void A_read_that_throws_another_exception_fails_and_names_it()
    {
        var failure = Assert.Throws<FailException>(() =>
            ReaderProbe.Check<FormatException>(Input, _ => throw new IndexOutOfRangeException()));

        Assert.Contains("IndexOutOfRangeException", failure.Message);
    }

    [Fact]
    public void A_read_that_allocates_far_more_than_its_input_fails()
    {
        var failure = Assert.Throws<TrueException>(() =>
            ReaderProbe.Check<FormatException>(Input, _ => GC.KeepAlive(new byte[2 * ReaderProbe.FixedAllocation])));

        Assert.Contains("allocated", failure.Message);
    }

    [Fact]
    public void A_read_that_never_ends_fails_after_the_time_limit()
    {
        using var release = new ManualResetEventSlim();
        try
        {
            var failure = Assert.Throws<FailException>(() => ReaderProbe.Check<FormatException>(Input, _ => release.Wait()));

            Assert.Contains("longer than", failure.Message);
        }
        finally
        {
            release.Set();
        }
    }
}
