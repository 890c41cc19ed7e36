using System.Diagnostics;
using System.Reflection;

namespace GradClip.Cli.Tests.Packaging;

/// <summary>
/// The library and tool packages, packed once for the tests that need them: into a temporary folder with its own build
/// output (so that packing never races the solution's build) and a NuGet.config whose only source is that folder, so that
/// nothing is fetched and no packed package lands in the machine's package cache, where a stale copy would shadow the next.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly Lazy<string> _tool;

    /// <summary>Packs GradClip and GradClip.Cli from the repository that holds this test assembly.</summary>
    public PackedPackages()
    {
        File.WriteAllText(ConfigFile, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="packages" />
              </config>
              <packageSources>
                <clear />
                <add key="packed" value="feed" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="machine" value="{MachinePackageFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        foreach (string project in new[] { "src/GradClip/GradClip.csproj", "src/GradClip.Cli/GradClip.Cli.csproj" })
        {
            Dotnet("pack", Path.Combine(RepositoryRoot, project), "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Folder, "artifacts"),
                $"-p:RestoreConfigFile={ConfigFile}");
        }
        _tool = new Lazy<string>(InstallTool);
    }

    /// <summary>The version that the repository's Directory.Build.props gives both packages (this assembly was built with it).</summary>
    public static string Version { get; } =
        typeof(GradClipApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>The repository's root: the folder above this test assembly that holds GradClip.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The temporary folder that holds everything: feed/, artifacts/, packages/, tools/ and NuGet.config.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("gradclip-packages-").FullName;

    /// <summary>The folder the packages were packed into: the only package source of <see cref="ConfigFile"/>.</summary>
    public string Feed => Path.Combine(Folder, "feed");

    /// <summary>The NuGet.config that every restore here uses.</summary>
    public string ConfigFile => Path.Combine(Folder, "NuGet.config");

    /// <summary>The path of the <c>gradclip</c> command, installed from the packed tool on first use.</summary>
    public string Tool => _tool.Value;

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>, checks that it succeeded, and returns its output.</summary>
    public static string Dotnet(params string[] arguments)
    {
        var (exitCode, output) = Run("dotnet", arguments);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        return output;
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; returns its exit code and everything it wrote.</summary>
    public static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        // The test host's MSBuild variables would steer a nested build to the host's own MSBuild; a nested one stands alone.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {Patience.TotalMinutes} minutes.");
        }
        return (process.ExitCode, output.Result + errors.Result);
    }

    private string InstallTool()
    {
        string toolPath = Path.Combine(Folder, "tools");
        Dotnet("tool", "install", "GradClip.Cli", "--version", Version, "--tool-path", toolPath, "--configfile", ConfigFile);
        return Path.Combine(toolPath, "gradclip");
    }

    /// <summary>The machine's package cache, which already holds what the solution restored: the packages' dependencies.</summary>
    private static string MachinePackageFolder()
    {
        string listing = Dotnet("nuget", "locals", "global-packages", "--list");
        return listing[(listing.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GradClip.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No GradClip.sln above {AppContext.BaseDirectory}.");
    }
}
