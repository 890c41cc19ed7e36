using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class ModuleTests
{
    private sealed class TwoLayerNet : Module<Tensor, Tensor>
    {
        public TwoLayerNet(Generator random)
        {
            Scale = RegisterParameter("scale", Tensor.Ones(1));
            Layers = RegisterModule("layers", new Sequential(new Linear(2, 3, random), new ReLU(), new Dropout(0.5f, random), new Linear(3, 1, random)));
        }

        public Tensor Scale { get; }

        public Sequential Layers { get; }

        public override Tensor Forward(Tensor input) => Layers.Forward(input) * Scale;
    }

    [Fact]
    public void NamedParameters_are_hierarchical_in_registration_order_and_name_the_tensors()
    {
        var net = new TwoLayerNet(new Generator(1));

        string[] names = net.NamedParameters().Select(p => p.Name).ToArray();

        Assert.Equal(["scale", "layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias"], names);
        Assert.Equal(names, net.Parameters().Select(p => p.Name).ToArray());
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void Train_and_Eval_reach_every_child()
    {
        var net = new TwoLayerNet(new Generator(1));

        net.Eval();
        Assert.False(net.IsTraining);
        Assert.False(net.Layers.Layers[2].IsTraining);
        net.Train();
        Assert.True(net.Layers.Layers[2].IsTraining);
    }

    [Fact]
    public void ZeroGrad_drops_every_gradient()
    {
        var net = new TwoLayerNet(new Generator(1));
        net.Forward(Tensor.Ones(4, 2)).Sum().Backward();
        Assert.NotNull(net.Scale.Grad);

        net.ZeroGrad();

        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Same_seed_gives_the_same_model()
    {
        float[] first = new TwoLayerNet(new Generator(42)).Parameters().SelectMany(p => p.ToArray()).ToArray();
        float[] second = new TwoLayerNet(new Generator(42)).Parameters().SelectMany(p => p.ToArray()).ToArray();
        float[] other = new TwoLayerNet(new Generator(43)).Parameters().SelectMany(p => p.ToArray()).ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    private sealed class DuplicateNames : Module
    {
        public DuplicateNames()
        {
            RegisterParameter("w", Tensor.Zeros(1));
            RegisterParameter("w", Tensor.Zeros(1));
        }
    }

    [Fact]
    public void A_name_registered_twice_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new DuplicateNames());
    }

    private sealed class Growing : Module<Tensor, Tensor>
    {
        public Tensor Grow(string name) => RegisterParameter(name, Tensor.Zeros(1));

        public override Tensor Forward(Tensor input) => input;
    }

    private sealed class Holder : Module<Tensor, Tensor>
    {
        public Holder() => Child = RegisterModule("child", new Growing());

        public Growing Child { get; }

        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void Parameters_is_collected_once_and_again_after_a_descendant_registers_one()
    {
        var holder = new Holder();
        Tensor first = holder.Child.Grow("a");
        IEnumerable<Tensor> before = holder.Parameters();

        Assert.Same(before, holder.Parameters());
        Tensor second = holder.Child.Grow("b");

        Assert.Equal([first, second], holder.Parameters());
    }
}
