using System.Text.Json;
using System.Text.Json.Serialization;
using GradClip.Monitoring;

namespace GradClip.Training;

/// <summary>
/// The JSON files of a checkpoint and their strict (de)serialization: every number round-trips exactly (NaN and ±∞ as
/// the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>), and unknown, duplicate or missing fields are errors.
/// </summary>
internal static class CheckpointJson
{
    /// <summary>The format name in <c>checkpoint.json</c>.</summary>
    public const string Format = "gradclip-checkpoint";

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 16,
    };

    /// <summary>
    /// The format version this code writes and reads (3: an epoch's summary holds the task's declared metrics; 4: the
    /// generator's state at the start of every epoch so far).
    /// </summary>
    public const int Version = 4;

    /// <summary>
    /// <c>checkpoint.json</c>, switched in last: the generation folder and the SHA-256 of each of its files, where the run
    /// stands, how many bytes of the history and of the caller's logs it covers, what the run was trained on, and its options.
    /// </summary>
    public sealed record Manifest(
        string Format,
        int Version,
        string Generation,
        int Epoch,
        int EpochStep,
        int Steps,
        long HistoryBytes,
        IReadOnlyDictionary<string, string> Files,
        IReadOnlyDictionary<string, long> Logs,
        IReadOnlyDictionary<string, string> TrainedOn,
        IReadOnlyDictionary<string, string> Options);

    /// <summary><c>state.json</c>: the optimizer's and the clipping's scalars, the best epoch, and the generator's state.</summary>
    public sealed record State(OptimizerScalars Optimizer, ClippingState Clipping, int BestEpoch, double BestLoss, GeneratorCheckpoint Generator);

    /// <summary>The optimizer's scalars: its kind, learning rate, and each parameter's step count (null: no state yet).</summary>
    public sealed record OptimizerScalars(string Kind, double LearningRate, IReadOnlyList<int?> Steps);

    /// <summary>One line of <c>history.jsonl</c>: a step's record or an epoch's summary (the other null).</summary>
    public sealed record HistoryLine(StepRecord? Step, EpochSummary? Epoch);

    /// <summary>The UTF-8 JSON of <paramref name="value"/>.</summary>
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, s_options);

    /// <summary>Reads <paramref name="json"/> as a <typeparamref name="T"/>, or throws a <see cref="CheckpointFormatException"/> naming <paramref name="path"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, s_options) ?? throw new CheckpointFormatException(path, "holds null instead of an object.");
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, $"is not a valid checkpoint file: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // A lone surrogate escape (\ud800) passes the JSON reader and fails when the string is read.
            throw new CheckpointFormatException(path, $"holds a name or string that is not valid text: {ex.Message}", ex);
        }
    }
}
