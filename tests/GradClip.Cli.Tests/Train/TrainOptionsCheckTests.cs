using GradClip.Cli.Train;

namespace GradClip.Cli.Tests.Train;

public sealed class TrainOptionsCheckTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_writable_new_folder_passes_and_the_check_leaves_no_folder_or_probe_behind()
    {
        string nested = Path.Combine(_folder, "a", "b", "c");

        Assert.Null(TrainOptionsCheck.WriteProblem(nested));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void An_existing_folder_passes_and_keeps_its_files_but_not_the_probe()
    {
        File.WriteAllText(Path.Combine(_folder, "kept.txt"), "x");

        Assert.Null(TrainOptionsCheck.WriteProblem(_folder));

        Assert.Equal(["kept.txt"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_under_a_file_cannot_be_written_and_the_message_names_it()
    {
        string file = Path.Combine(_folder, "file");
        File.WriteAllText(file, "x");

        string? problem = TrainOptionsCheck.WriteProblem(Path.Combine(file, "run"));

        Assert.NotNull(problem);
        Assert.Contains($"cannot write into folder '{Path.Combine(file, "run")}'", problem);
        Assert.Equal("x", File.ReadAllText(file));
    }
}
