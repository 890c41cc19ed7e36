using GradClip.Autograd;
using GradClip.Tensors;

namespace GradClip.Tests.Autograd;

public class OpProfilerTests
{
    [Fact]
    public void Counts_each_op_kind_of_a_step_forward_and_backward()
    {
        Tensor x = GradCheck.Uniform(1, -1, 1, 8, 4);
        Tensor weight = GradCheck.Uniform(2, -1, 1, 3, 4);
        weight.RequiresGrad = true;

        using OpProfiler profile = OpProfiler.Start();
        Tensor.Linear(x, weight, null).Relu().Sum(0).Sum(0).Backward();

        OpProfileEntry linearForward = Assert.Single(profile.Entries, e => e.Op == "Linear" && e.Phase == "forward");
        Assert.Equal(1, linearForward.Calls);
        Assert.True(linearForward.Bytes >= 8 * 3 * sizeof(float));
        Assert.Equal(2, Assert.Single(profile.Entries, e => e.Op == "Sum" && e.Phase == "backward").Calls);
        Assert.Equal(1, Assert.Single(profile.Entries, e => e.Op == "AccumulateGrad").Calls);
        Assert.Contains("Relu", profile.Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_second_profiler_on_one_thread()
    {
        using OpProfiler profile = OpProfiler.Start();

        Assert.Throws<InvalidOperationException>(OpProfiler.Start);
    }

    [Fact]
    public void Records_nothing_once_disposed()
    {
        Tensor x = GradCheck.Uniform(1, -1, 1, 4);
        x.RequiresGrad = true;
        OpProfiler profile = OpProfiler.Start();
        profile.Dispose();

        x.Exp().Sum(0).Backward();

        Assert.Empty(profile.Entries);
    }
}
