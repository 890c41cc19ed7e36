namespace GradClip.Serialization;

/// <summary>One tensor's entry in a safetensors header: its name, shape and byte range within the data.</summary>
internal sealed record SafeTensorsEntry(string Name, int[] Shape, long Begin, long End);
