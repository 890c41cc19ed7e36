using System.Globalization;
using GradClip.Tensors;
using GradClip;

// Two parameters whose gradients have the total L2 norm √(3² + 4² + 12²) = 13, clipped to half of it, as a user of the
// package would clip them: PyTorch's clip_grad_norm_ on the parameters, and TensorFlow's clip_by_global_norm.
var first = Tensor.FromArray([0f, 0f], 2);
var second = Tensor.FromArray([0f], 1);
first.Grad = Tensor.FromArray([3f, 4f], 2);
second.Grad = Tensor.FromArray([12f], 1);

double total = Clip.GradNorm([first, second], maxNorm: 6.5);
var (clipped, globalNorm) = Clip.ByGlobalNorm([Tensor.FromArray([3f, 4f], 2), Tensor.FromArray([12f], 1)], clipNorm: 6.5);

Console.WriteLine(Line("clip_grad_norm_", total, first.Grad.ToArray().Concat(second.Grad.ToArray())));
Console.WriteLine(Line("clip_by_global_norm", globalNorm, clipped.SelectMany(t => t!.ToArray())));

static string Line(string name, double norm, IEnumerable<float> gradients) =>
    string.Create(CultureInfo.InvariantCulture, $"{name} norm {norm} gradients {string.Join(' ', gradients.Select(g => g.ToString("R", CultureInfo.InvariantCulture)))}");
