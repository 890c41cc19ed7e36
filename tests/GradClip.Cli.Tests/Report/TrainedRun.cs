using System.Buffers.Binary;
using System.Xml.Linq;
using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Report;

/// <summary>
/// A real run folder for the report tests, made once per test class: a short training run on the built-in data, in process,
/// then <c>gradclip report</c> on it. Tests that change files work on a <see cref="Copy"/>.
/// </summary>
public sealed class TrainedRun : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gradclip-trained-").FullName;

    /// <summary>Trains and reports.</summary>
    public TrainedRun()
    {
        Folder = Path.Combine(_root, "run");
        var (code, output) = CliRunner.Run("train", "--epochs", "3", "--out", Folder);
        Assert.True(code == ExitCodes.Success, output);
        Report = CliRunner.Run("report", Folder);
    }

    /// <summary>The run's folder, with its report.</summary>
    public string Folder { get; }

    /// <summary>What <c>gradclip report</c> returned and printed.</summary>
    public (int ExitCode, string Output) Report { get; }

    /// <summary>Copies the run's own files (not the report) into <paramref name="folder"/> and returns it.</summary>
    public string Copy(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (string file in new[] { "metrics.jsonl", "steps.jsonl", "summary.json" })
        {
            File.Copy(Path.Combine(Folder, file), Path.Combine(folder, file));
        }
        return folder;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The width and height in a PNG file's header, after checking its signature and that IHDR comes first.</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.Length > 33, $"A PNG needs at least 33 bytes, this has {png.Length}.");
        Assert.Equal(signature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>The SVG document, after checking that it parses as XML with an &lt;svg&gt; root.</summary>
    public static XDocument Svg(string text)
    {
        var svg = XDocument.Parse(text);
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Root!.Name);
        return svg;
    }

    /// <summary>Every text an SVG shows (titles, axis labels, tick labels, legend entries), trimmed.</summary>
    public static IReadOnlyList<string> SvgTexts(XDocument svg) =>
        svg.Descendants(XName.Get("text", "http://www.w3.org/2000/svg")).Select(t => t.Value.Trim()).ToList();
}
