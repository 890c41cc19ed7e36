using GradClip.Metrics;
using GradClip.Cli.Train;
using GradClip.Monitoring;

namespace GradClip.Cli.Tests.Train;

public class EpochLineTests
{
    [Fact]
    public void Says_the_epoch_its_losses_accuracy_norms_clip_rate_and_time_on_one_line()
    {
        var epoch = new EpochSummary(7, 25, 2.5, 9, 1, 0.4, 0, 0.31234, 0.2876, [new MetricValue("val_accuracy", 0.915)]);

        string line = EpochLine.Of(epoch, 120, TimeSpan.FromMilliseconds(1234));

        Assert.Equal("Epoch   7/120  loss 0.312  val_loss 0.288  val_accuracy 91.5 %  grad norm 2.5 → 1  clipped 40 %  1.23 s", line);
    }

    [Fact]
    public void Leaves_out_what_the_epoch_lacks_and_counts_skipped_steps()
    {
        var epoch = new EpochSummary(2, 10, double.NaN, double.NaN, double.NaN, 0, 3, 1.5, null, []);

        string line = EpochLine.Of(epoch, 3, TimeSpan.Zero);

        Assert.Equal("Epoch 2/3  loss 1.5  grad norm NaN → NaN  clipped 0 %  skipped 3  0.00 s", line);
    }
}
