using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;

namespace GradClip.Cli.Tests.Packaging;

/// <summary>The library package: what it carries, and a project outside the solution that uses GradClip from it alone.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class LibraryPackageTests(PackedPackages packages)
{
    [Fact]
    public void The_library_package_carries_the_readme_the_licence_the_xml_docs_and_a_symbol_package()
    {
        using var package = ZipFile.OpenRead(Path.Combine(packages.Feed, $"GradClip.{PackedPackages.Version}.nupkg"));
        using var symbols = ZipFile.OpenRead(Path.Combine(packages.Feed, $"GradClip.{PackedPackages.Version}.snupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        var metadata = Nuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata");

        Assert.Superset(new HashSet<string> { "README.md", "LICENSE", "lib/net10.0/GradClip.dll", "lib/net10.0/GradClip.xml" }, entries);
        Assert.Contains("MIT License", Text(package, "LICENSE"), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(PackedPackages.RepositoryRoot, "README.md")), Text(package, "README.md"));
        Assert.Contains("<member name=\"M:GradClip.Clip.GradNorm(", Text(package, "lib/net10.0/GradClip.xml"), StringComparison.Ordinal);
        Assert.Equal("MIT", Field(metadata, "license"));
        Assert.Equal("README.md", Field(metadata, "readme"));
        Assert.Equal(PackedPackages.Version, Field(metadata, "version"));
        Assert.Contains("lib/net10.0/GradClip.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void The_tool_package_has_the_library_s_version()
    {
        using var tool = ZipFile.OpenRead(Path.Combine(packages.Feed, $"GradClip.Cli.{PackedPackages.Version}.nupkg"));
        var metadata = Nuspec(tool).Root!.Elements().Single(e => e.Name.LocalName == "metadata");

        Assert.Equal(PackedPackages.Version, Field(metadata, "version"));
        Assert.Contains(tool.Entries, e => e.FullName == "tools/net10.0/any/GradClip.dll");
    }

    [Fact]
    public void A_project_outside_the_solution_clips_gradients_with_the_package_alone()
    {
        string artifacts = Path.Combine(packages.Folder, "consumer");
        PackedPackages.Dotnet("build", Path.Combine(PackedPackages.RepositoryRoot, "tests", "PackageConsumer", "PackageConsumer.csproj"), "-c", "Release",
            "--artifacts-path", artifacts, $"-p:RestoreConfigFile={packages.ConfigFile}", $"-p:GradClipVersion={PackedPackages.Version}");
        string output = PackedPackages.Dotnet(Path.Combine(artifacts, "bin", "PackageConsumer", "release", "PackageConsumer.dll"));

        // Gradients (3, 4) and (12): total norm 13; clipped to 6.5 they halve (PyTorch's coefficient 6.5 / (13 + 1e-6)).
        var lines = output.ReplaceLineEndings("\n").Trim().Split('\n').Select(line => line.Split(' ')).ToArray();
        Assert.Equal(["clip_grad_norm_", "clip_by_global_norm"], lines.Select(words => words[0]));
        foreach (string[] words in lines)
        {
            Assert.Equal(13.0, Number(words[2]), 6);
            Assert.Equal(new[] { 1.5, 2.0, 6.0 }, words[4..].Select(Number).Select(g => Math.Round(g, 5)));
        }
        Assert.Equal(["1.5", "2", "6"], lines[1][4..]);
        Assert.Equal(3 * 6.5 / (13 + 1e-6), Number(lines[0][4]), 6);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static XDocument Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private static string Text(ZipArchive package, string entry)
    {
        using var reader = new StreamReader(package.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    private static string Field(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
}
