using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class MlpLearningTests
{
    [Fact]
    public void An_MLP_learns_XOR()
    {
        var model = new Sequential(new Linear(2, 8, new Random(0)), new Tanh(), new Linear(8, 2, new Random(1)));
        var x = Tensor.FromArray([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
        int[] labels = [0, 1, 1, 0];

        var optimizer = new Sgd(model.Parameters(), 0.5);
        for (int step = 0; step < 500; step++)
        {
            model.ZeroGrad();
            Tensor.CrossEntropy(model.Forward(x), labels).Backward();
            optimizer.Step();
        }

        Assert.Equal(labels, model.Forward(x).ArgMax(1));
        Assert.True(Tensor.CrossEntropy(model.Forward(x), labels).Item() < 0.1f);
    }

    [Fact]
    public void An_MLP_learns_three_gaussian_blobs()
    {
        (Tensor x, int[] labels) = Blobs(new Random(7), perClass: 50);
        var model = new Sequential(new Linear(2, 16, new Random(2)), new ReLU(), new Linear(16, 3, new Random(3)));
        float initialLoss = Tensor.CrossEntropy(model.Forward(x), labels).Item();

        var optimizer = new Sgd(model.Parameters(), 0.2);
        for (int step = 0; step < 200; step++)
        {
            model.ZeroGrad();
            Tensor.CrossEntropy(model.Forward(x), labels).Backward();
            optimizer.Step();
        }

        int[] predicted = model.Forward(x).ArgMax(1);
        double accuracy = predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
        Assert.True(accuracy > 0.95, $"accuracy {accuracy}");
        Assert.True(Tensor.CrossEntropy(model.Forward(x), labels).Item() < initialLoss / 4);
    }

    private static (Tensor X, int[] Labels) Blobs(Random random, int perClass)
    {
        float[][] centers = [[0, 2], [-2, -1], [2, -1]];
        var x = Tensor.Randn(random, 3 * perClass, 2).Mul(0.5f).Detach();
        var labels = new int[3 * perClass];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 3;
            x[2 * i] += centers[labels[i]][0];
            x[2 * i + 1] += centers[labels[i]][1];
        }
        return (x, labels);
    }
}
