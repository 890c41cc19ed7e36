namespace GradClip.Cli.Report;

/// <summary>One plot of a run, rendered: the name its files take, its title, and the image as PNG and as SVG.</summary>
/// <param name="Name">The file name without extension, e.g. <c>loss</c>.</param>
/// <param name="Title">The plot's title, for the page's caption and alternative text.</param>
/// <param name="Png">The image as PNG bytes.</param>
/// <param name="Svg">The image as an SVG document.</param>
public sealed record RunPlot(string Name, string Title, byte[] Png, string Svg);
