using GradClip.Autograd;

namespace GradClip.Tests.Autograd;

public class NoGradScopeTests
{
    [Fact]
    public void Nested_scopes_keep_recording_off_until_the_outermost_closes()
    {
        var outer = new NoGradScope();
        var inner = new NoGradScope();

        inner.Dispose();
        Assert.False(GradMode.IsEnabled);
        outer.Dispose();
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void Disposing_twice_closes_once()
    {
        var outer = new NoGradScope();
        var inner = new NoGradScope();

        inner.Dispose();
        inner.Dispose();

        Assert.False(GradMode.IsEnabled);
        outer.Dispose();
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void A_scope_on_one_thread_does_not_affect_another()
    {
        using var scope = new NoGradScope();
        bool enabledElsewhere = false;

        var thread = new Thread(() => enabledElsewhere = GradMode.IsEnabled);
        thread.Start();
        thread.Join();

        Assert.True(enabledElsewhere);
        Assert.False(GradMode.IsEnabled);
    }
}
