using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;

namespace GradClip.Tests.Training;

/// <summary>The reason clipping exists: a vanilla RNN with large recurrent weights over long sequences.</summary>
public class ClippingMattersTests
{
    private const int Batch = 16, Time = 200, Hidden = 16, Steps = 120;

    /// <summary>
    /// Trains a tanh RNN (recurrent weights at gain 3) with a linear head to predict the last input,
    /// with plain SGD at a high learning rate; returns the losses and the largest gradient norm seen before clipping.
    /// </summary>
    private static (List<double> Losses, double MaxNorm) Train(double? maxNorm)
    {
        var rnn = new RNN(1, Hidden, new Random(1));
        var head = new Linear(Hidden, 1, new Random(4));
        Tensor.Randn(new Random(2), Hidden, Hidden).Mul(3f / MathF.Sqrt(Hidden)).Span.CopyTo(rnn.NamedParameters()[1].Parameter.Span);
        var parameters = rnn.Parameters().Concat(head.Parameters()).ToList();
        var optimizer = new Sgd(parameters, 0.2);
        var random = new Random(5);
        var losses = new List<double>();
        double largest = 0;
        for (int step = 0; step < Steps; step++)
        {
            var x = Tensor.Randn(random, Batch, Time, 1);
            var loss = Tensor.MseLoss(head.Forward(LastOutput(rnn, x)), Targets(x));
            loss.Backward();
            double norm = maxNorm is { } m ? Clip.GradNorm(parameters, m) : Clip.TotalNorm(parameters.Select(p => p.Grad));
            largest = double.IsNaN(norm) ? double.NaN : Math.Max(largest, norm);
            optimizer.Step();
            optimizer.ZeroGrad();
            losses.Add(loss.Item());
        }
        return (losses, largest);
    }

    private static Tensor LastOutput(RNN rnn, Tensor x) => rnn.Forward(x).Output.Narrow(1, Time - 1, 1).Reshape(Batch, Hidden);

    private static Tensor Targets(Tensor x)
    {
        var values = x.ToArray();
        var targets = new float[Batch];
        for (int b = 0; b < Batch; b++)
        {
            targets[b] = values[b * Time + Time - 1];
        }
        return Tensor.FromArray(targets, Batch, 1);
    }

    [Fact]
    public void Without_clipping_the_gradients_explode_and_the_loss_goes_non_finite()
    {
        var (losses, largest) = Train(maxNorm: null);

        Assert.True(double.IsNaN(largest) || largest > 1e6, $"largest gradient norm {largest}");
        Assert.Contains(losses, l => !double.IsFinite(l) || l > 1e6);
    }

    [Fact]
    public void With_Clip_GradNorm_the_same_run_stays_finite_and_the_loss_falls()
    {
        var (losses, largest) = Train(maxNorm: 1);

        Assert.True(largest > 1e6, $"the gradients still explode before clipping: {largest}");
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l < 10, $"loss {l}"));
        Assert.True(losses.Skip(Steps - 10).Average() < 0.5 * losses.Take(10).Average(),
            $"loss {losses.Take(10).Average()} → {losses.Skip(Steps - 10).Average()}");
    }
}
