using GradClip.Optim;
using GradClip.Tensors;

namespace GradClip.Tests.Optim;

/// <summary>Builds small parameters and gradients, and checks float results against hand-computed doubles.</summary>
internal static class OptimTestTensors
{
    /// <summary>Float arithmetic over a few steps stays well within this of the double reference.</summary>
    private const double Tolerance = 1e-5;

    public static Tensor Parameter(params float[] values) => Tensor.FromArray(values);

    public static void SetGradient(Tensor parameter, params float[] values) => parameter.Grad = Tensor.FromArray(values);

    /// <summary>Sets the gradient to <paramref name="values"/> and takes one step.</summary>
    public static void StepWith(Optimizer optimizer, Tensor parameter, params float[] values)
    {
        SetGradient(parameter, values);
        optimizer.Step();
    }

    public static void AssertClose(double expected, float actual) => Assert.Equal(expected, actual, Tolerance);

    /// <summary>Runs <paramref name="steps"/> steps on f(x) = Σ(x − 3)², whose gradient is 2(x − 3), and returns the largest |x − 3|.</summary>
    public static double DistanceAfterMinimizingQuadratic(Func<Tensor, Optimizer> create, int steps)
    {
        var x = Parameter(0, 5, -2, 3.5f);
        Optimizer optimizer = create(x);
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            var gradient = new float[x.Count];
            for (int i = 0; i < x.Count; i++)
            {
                gradient[i] = 2 * (x[i] - 3);
            }
            SetGradient(x, gradient);
            optimizer.Step();
        }
        double distance = 0;
        for (int i = 0; i < x.Count; i++)
        {
            distance = Math.Max(distance, Math.Abs(x[i] - 3));
        }
        return distance;
    }
}
