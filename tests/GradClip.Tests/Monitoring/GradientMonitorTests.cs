using GradClip.Metrics;
using GradClip.Clipping;
using GradClip.Monitoring;
using GradClip.Tensors;

namespace GradClip.Tests.Monitoring;

public class GradientMonitorTests
{
    [Fact]
    public void Records_each_step_with_the_norms_clipping_saw_and_numbers_steps_across_epochs()
    {
        var monitor = new GradientMonitor(new ClipByGlobalNorm(5));
        var w = Reference.Parameter([30, 40], "w");

        var first = monitor.Step([w], loss: 2.5, learningRate: 0.1);
        monitor.EndEpoch(valLoss: 2, metrics: [new MetricValue("val_accuracy", 0.4)]);
        w.Grad = Tensor.FromArray([0.3f, 0.4f]);
        var second = monitor.Step([w], loss: 1.5, learningRate: 0.05);
        var epoch2 = monitor.EndEpoch();

        Assert.Equal((1, 1), (first.Epoch, first.Step));
        Assert.Equal(50, first.NormBefore, 9);
        Reference.Close(5, first.NormAfter, 1e-6);
        Assert.True(first.Clipped);
        Assert.Equal(50, first.ParameterNorms["w"], 9);
        Assert.Equal((2, 2), (second.Epoch, second.Step));
        Assert.False(second.Clipped);
        Assert.Equal(0.05, second.LearningRate);
        Assert.Equal(2, monitor.Epochs.Count);
        Assert.Equal(1, epoch2.Steps);
        Assert.Equal(0.5, epoch2.GradNormBeforeMean, 6);
        Assert.Equal(1.0, monitor.Epochs[0].ClipRate);
    }

    [Fact]
    public void A_skip_step_policy_marks_the_record_skipped()
    {
        var monitor = new GradientMonitor(new Chain(new NonFiniteGuard(NonFinitePolicy.SkipStep), new ClipByGlobalNorm(1)));

        var record = monitor.Step([Reference.Parameter([float.NaN], "bad")], 1, 0.1);

        Assert.True(record.Skipped);
        Assert.Equal(["bad"], record.NonFiniteParameters);
    }

    [Fact]
    public void Clipping_with_no_gradients_asks_whether_Backward_was_called()
    {
        var monitor = new GradientMonitor(new ClipByGlobalNorm(1));

        var ex = Assert.Throws<InvalidOperationException>(() => monitor.Step([Tensor.Zeros(3), Tensor.Zeros(2)], 1, 0.1));

        Assert.Contains("did you call loss.Backward()", ex.Message);
        Assert.Empty(monitor.Steps);
    }

    [Fact]
    public void A_continued_monitor_numbers_new_steps_after_the_recorded_ones_and_closes_the_open_epoch()
    {
        var first = new GradientMonitor(new ClipByGlobalNorm(5));
        var w = Reference.Parameter([3, 4], "w");
        first.Step([w], 1, 0.1);
        first.EndEpoch();
        first.Step([w], 0.9, 0.1);

        var continued = new GradientMonitor(new ClipByGlobalNorm(5), first.Steps, first.Epochs);
        var next = continued.Step([w], 0.8, 0.1);
        var epoch = continued.EndEpoch();

        Assert.Equal(0, continued.StepsInCurrentEpoch);
        Assert.Equal((2, 3), (next.Epoch, next.Step));
        Assert.Equal(2, epoch.Steps);
        Assert.Equal((0.9 + 0.8) / 2, epoch.TrainLoss, 12);
    }
}
