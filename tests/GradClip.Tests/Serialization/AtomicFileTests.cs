using GradClip.Serialization;

namespace GradClip.Tests.Serialization;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Writes_the_whole_file_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_folder, "metrics.csv");

        AtomicFile.WriteText(path, "epoch,loss\n1,0.5\n");

        Assert.Equal("epoch,loss\n1,0.5\n", File.ReadAllText(path));
        Assert.Equal(["metrics.csv"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_intact_and_no_temporary_file()
    {
        string path = Path.Combine(_folder, "model.json");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("disk on fire");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_missing_folder_gives_an_IOException_naming_the_file()
    {
        string path = Path.Combine(_folder, "no-such-folder", "summary.json");

        var ex = Assert.Throws<IOException>(() => AtomicFile.WriteText(path, "{}"));

        Assert.Contains("summary.json", ex.Message);
    }
}
