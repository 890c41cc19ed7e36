namespace GradClip.Metrics;

/// <summary>How an epoch metric's value is shown.</summary>
public enum MetricFormat
{
    /// <summary>A fraction shown as a percentage (0.915 as 91.5 %).</summary>
    Percent,

    /// <summary>A number shown with a few significant digits, in the unit of what it measures.</summary>
    Number,
}
