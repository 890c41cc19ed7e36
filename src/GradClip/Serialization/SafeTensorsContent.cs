using GradClip.Tensors;

namespace GradClip.Serialization;

/// <summary>What a safetensors file holds: named tensors in file order and the string metadata.</summary>
/// <param name="Tensors">The tensors by name, in the order of their data in the file.</param>
/// <param name="Metadata">The <c>__metadata__</c> entries (empty when the file has none).</param>
public sealed record SafeTensorsContent(IReadOnlyList<(string Name, Tensor Tensor)> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor named <paramref name="name"/>, or an error naming what the file does hold.</summary>
    public Tensor this[string name] =>
        Tensors.FirstOrDefault(t => t.Name == name).Tensor
        ?? throw new KeyNotFoundException($"No tensor named '{name}'; the file holds {string.Join(", ", Tensors.Select(t => $"'{t.Name}'"))}.");
}
