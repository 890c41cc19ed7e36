using GradClip.Data;

namespace GradClip.Tests.Data;

public class BuiltInImagesTests
{
    [Fact]
    public void The_same_seed_gives_the_same_images_and_another_seed_others()
    {
        var a = BuiltInImages.Generate(3, 8);

        Assert.Equal(a.Features.ToArray(), BuiltInImages.Generate(3, 8).Features.ToArray());
        Assert.NotEqual(a.Features.ToArray(), BuiltInImages.Generate(4, 8).Features.ToArray());
        Assert.Equal(256, a.FeatureCount);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], a.Labels.ToArray());
        Assert.Equal(["horizontal bar", "vertical bar", "square", "cross"], a.ClassNames.ToArray());
    }

    [Fact]
    public void Each_shape_shows_in_the_mean_of_its_images()
    {
        var data = BuiltInImages.Generate(1, 400);
        double Mean(int label, Func<int, int, bool> where) => Enumerable.Range(0, data.RowCount).Where(r => data.Labels[r] == label)
            .SelectMany(r => Enumerable.Range(0, 256).Where(i => where(i / 16, i % 16)).Select(i => (double)data.Row(r)[i])).Average();

        // A bar covers two of its box's rows or columns: over random boxes, a horizontal bar is brighter along rows than a vertical one is.
        double RowContrast(int label) => Enumerable.Range(0, data.RowCount).Where(r => data.Labels[r] == label).Average(r =>
            Enumerable.Range(0, 16).Max(y => Enumerable.Range(0, 16).Average(x => (double)data.Row(r)[y * 16 + x])));
        Assert.True(RowContrast(0) > RowContrast(1) + 0.05, $"{RowContrast(0)} vs {RowContrast(1)}");
        Assert.InRange(Mean(2, (y, x) => true), 0.05, 0.4);
    }
}
