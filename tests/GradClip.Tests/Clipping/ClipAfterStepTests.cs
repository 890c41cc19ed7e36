using GradClip.Autograd;
using GradClip.Clipping;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;

namespace GradClip.Tests.Clipping;

/// <summary>Clipping a gradient after the optimizer has already stepped with it is caught and explained.</summary>
public class ClipAfterStepTests
{
    private static readonly Tensor Input = Tensor.FromArray([1, -2, 3, 0.5f, 4, -1], 2, 3);

    private static (Linear Model, Tensor[] Parameters, Sgd Optimizer) Setup(bool flat)
    {
        var model = new Linear(3, 2, new Random(4));
        var parameters = model.Parameters().ToArray();
        if (flat)
        {
            _ = new FlatGradients(parameters);
        }
        return (model, parameters, new Sgd(parameters, learningRate: 0.1));
    }

    private static void Backward(Linear model)
    {
        var output = model.Forward(Input);
        (output * output).Sum().Backward();
    }

    public static TheoryData<string> Clippings => ["GradNorm", "GradValue", "GradsWithNorm", "Monitor"];

    private static void ClipWith(string clipping, Tensor[] parameters)
    {
        switch (clipping)
        {
            case "GradNorm":
                Clip.GradNorm(parameters, 1);
                break;
            case "GradValue":
                Clip.GradValue(parameters, 1);
                break;
            case "GradsWithNorm":
                Clip.GradsWithNorm(parameters, 1, 10);
                break;
            default:
                new GradientMonitor(new ClipByGlobalNorm(1)).Step(parameters, loss: 1, learningRate: 0.1);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Clippings))]
    public void Clipping_after_the_step_throws_names_the_parameter_and_leaves_the_gradients_alone(string clipping)
    {
        foreach (bool flat in new[] { false, true })
        {
            var (model, parameters, optimizer) = Setup(flat);
            Backward(model);
            optimizer.Step();
            var before = parameters.Select(p => p.Grad!.ToArray()).ToArray();

            var ex = Assert.Throws<InvalidOperationException>(() => ClipWith(clipping, parameters));

            Assert.Contains("parameter 0 'weight'", ex.Message);
            Assert.Contains("before the optimizer's last Step()", ex.Message);
            Assert.Contains("Clip between Backward() and Step()", ex.Message);
            Assert.Equal(before, parameters.Select(p => p.Grad!.ToArray()));
        }
    }

    [Theory]
    [MemberData(nameof(Clippings))]
    public void Clipping_between_backward_and_step_over_several_steps_is_accepted(string clipping)
    {
        foreach (bool flat in new[] { false, true })
        {
            var (model, parameters, optimizer) = Setup(flat);
            for (int step = 0; step < 3; step++)
            {
                Backward(model);
                ClipWith(clipping, parameters);
                optimizer.Step();
                optimizer.ZeroGrad();
            }
        }
    }

    [Fact]
    public void Only_the_stepped_parameter_is_named()
    {
        var (model, parameters, _) = Setup(flat: false);
        Backward(model);
        new Sgd([parameters[1]], learningRate: 0.1).Step();

        var ex = Assert.Throws<InvalidOperationException>(() => Clip.GradNorm(model.Parameters(), 1));

        Assert.Contains("parameter 1 'bias'", ex.Message);
    }

    [Fact]
    public void A_backward_pass_after_the_step_makes_the_gradient_current_again()
    {
        var (model, parameters, optimizer) = Setup(flat: false);
        Backward(model);
        optimizer.Step();

        Backward(model);

        Assert.True(Clip.GradNorm(parameters, 1) > 0);
    }

    [Fact]
    public void Gradients_set_by_hand_are_never_stale()
    {
        var (_, parameters, optimizer) = Setup(flat: false);
        parameters[0].Grad = Tensor.Ones(2, 3);
        parameters[1].Grad = Tensor.Ones(2);
        optimizer.Step();

        double norm = Clip.GradNorm(parameters, 1);

        Assert.Equal(Math.Sqrt(8), norm, 12);
    }

    [Fact]
    public void ZeroGrad_of_a_flat_buffer_clears_the_record()
    {
        var (model, parameters, optimizer) = Setup(flat: true);
        Backward(model);
        optimizer.Step();

        optimizer.ZeroGrad();

        Assert.Equal(0, Clip.GradNorm(parameters, 1));
    }
}
