namespace GradClip.Tests.Logs;

/// <summary>Where the real logs kept as fixtures are, once copied beside the tests.</summary>
internal static class LogFiles
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Logs", "Fixtures", name);
}
