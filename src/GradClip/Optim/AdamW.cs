using GradClip.Tensors;

namespace GradClip.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019), with PyTorch's <c>torch.optim.AdamW</c> update
/// and defaults: the parameter first shrinks by the factor 1 − lr·λ, then takes an <see cref="Adam"/> step on the
/// raw gradient, so the decay never enters the moments.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer; the defaults are PyTorch's, weight decay 0.01 included.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A beta is outside [0, 1), or a rate, ε or weight decay is negative or NaN.</exception>
    public AdamW(
        IEnumerable<Tensor> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 1e-2,
        bool amsGrad = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsGrad, decoupledWeightDecay: true)
    {
    }
}
