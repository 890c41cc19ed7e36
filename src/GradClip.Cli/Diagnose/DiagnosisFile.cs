using System.Text.Json;
using GradClip.Diagnosis;
using GradClip.Logs;
using GradClip.Monitoring;

namespace GradClip.Cli.Diagnose;

/// <summary>
/// <c>diagnosis.json</c>: what was read, the verdicts (<c>kind</c>, <c>severity</c>, <c>summary</c>, <c>evidence</c>,
/// <c>suggestion</c>, <c>first_step</c>) and the replay, as one JSON object; the same bytes for the same log and options.
/// </summary>
public static class DiagnosisFile
{
    /// <summary>The file's name.</summary>
    public const string FileName = "diagnosis.json";

    /// <summary>The diagnosis as JSON text.</summary>
    public static string Json(LogReading reading, IReadOnlyList<HealthFinding> findings, ClipReplay replay) => MetricsFiles.Json(json =>
    {
        var trace = reading.Trace;
        json.WriteString("log", reading.File);
        json.WriteString("format", LogReader.Describe(reading.Format));
        json.WriteNumber("steps_logged", trace.Count);
        json.WriteNumber("total_steps", trace.TotalSteps);
        json.WriteString("clipping", trace.Setup.Clipping.ToString().ToLowerInvariant());
        MetricsFiles.Number(json, "max_norm", trace.Setup.MaxNorm);
        json.WriteBoolean("max_norm_assumed", trace.Setup.MaxNormAssumed);
        json.WriteStartObject("columns");
        foreach (var (figure, column) in reading.Columns)
        {
            json.WriteString(figure, column);
        }
        json.WriteEndObject();
        Strings(json, "notes", reading.Notes);
        json.WriteStartArray("verdicts");
        foreach (var finding in findings)
        {
            Verdict(json, finding);
        }
        json.WriteEndArray();
        Replay(json, replay);
    });

    private static void Verdict(Utf8JsonWriter json, HealthFinding finding)
    {
        json.WriteStartObject();
        json.WriteString("kind", finding.Kind.ToString());
        json.WriteString("severity", DiagnosisReport.SeverityText(finding.Severity));
        json.WriteString("summary", finding.Summary);
        json.WriteString("evidence", finding.Evidence);
        json.WriteString("suggestion", finding.Suggestion);
        if (finding.FirstStep is { } step)
        {
            json.WriteNumber("first_step", step);
        }
        else
        {
            json.WriteNull("first_step");
        }
        json.WriteEndObject();
    }

    private static void Replay(Utf8JsonWriter json, ClipReplay replay)
    {
        json.WriteStartObject("replay");
        json.WriteNumber("steps_replayed", replay.StepsReplayed);
        json.WriteNumber("nonfinite_steps", replay.NonFiniteSteps);
        Integers(json, "spikes", replay.Spikes);
        json.WriteStartArray("policies");
        foreach (var policy in replay.Policies)
        {
            json.WriteStartObject();
            json.WriteString("name", policy.Name);
            json.WriteString("description", policy.Description);
            MetricsFiles.Number(json, "max_norm", policy.MaxNorm);
            json.WriteNumber("clipped_steps", policy.ClippedSteps);
            MetricsFiles.Number(json, "clip_rate", policy.ClipRate);
            MetricsFiles.Number(json, "mean_coefficient", policy.MeanCoefficient);
            Integers(json, "capped_spikes", policy.CappedSpikes);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void Integers(Utf8JsonWriter json, string name, IEnumerable<int> values)
    {
        json.WriteStartArray(name);
        foreach (int value in values)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
    }
}
