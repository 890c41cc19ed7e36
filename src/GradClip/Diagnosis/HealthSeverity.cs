namespace GradClip.Diagnosis;

/// <summary>How much a verdict matters, apart from what it found; a run is scored by its most severe verdict.</summary>
public enum HealthSeverity
{
    /// <summary>Worth knowing; nothing is wrong (a healthy run, clipping that never fired, spikes that clipping contained).</summary>
    Info,

    /// <summary>The run trained, but something cost it quality or speed (over-clipping, overfitting, a bad batch).</summary>
    Warning,

    /// <summary>The run failed: it diverged, exploded or learned nothing.</summary>
    Error,
}
