using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Serialization;

namespace GradClip.Cli.Tests.Train;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-runfolder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string relative, string text = "x")
    {
        string path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The files a finished train run with a checkpoint leaves, by name.</summary>
    private void WriteRun(string under = "")
    {
        foreach (string file in new[] { "metrics.jsonl", "metrics.csv", "steps.jsonl", "model.json", "model.safetensors", "summary.json", "report.html", "loss.png", "loss.svg" })
        {
            Write(Path.Combine(under, file));
        }
        Write(Path.Combine(under, "checkpoint", "checkpoint.json"));
        Write(Path.Combine(under, "checkpoint", "history.jsonl"));
        Write(Path.Combine(under, "checkpoint", "g-00000003", "weights.safetensors"));
        Write(Path.Combine(under, "checkpoint", "g-00000003", "state.json"));
    }

    private static string Problem(string folder) => Assert.Single(RunFolder.Problems(folder, overwrite: true));

    [Fact]
    public void A_folder_of_pictures_is_no_run_and_is_not_replaced()
    {
        Write("loss.png");
        Write("holiday.png");
        Write("2024/beach.svg");

        Assert.Contains("holds no GradClip run", Problem(_folder));
        Assert.Throws<UsageException>(() => RunFolder.Prepare(_folder, overwrite: true));
        Assert.Equal(3, Directory.GetFiles(_folder, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void A_run_folder_is_replaced_leaving_only_the_lock()
    {
        WriteRun();
        Assert.Empty(RunFolder.Problems(_folder, overwrite: true));
        using var held = RunFolderLock.Acquire(_folder);

        RunFolder.Prepare(_folder, overwrite: true);

        Assert.Equal(new[] { RunFolderLock.FileName }, Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public void A_picture_the_report_does_not_draw_beside_a_run_is_foreign()
    {
        WriteRun();
        Write("holiday.png");

        Assert.Contains("holds 'holiday.png', which is not a file of a GradClip run", Problem(_folder));
    }

    [Fact]
    public void A_file_in_the_checkpoint_folder_that_no_checkpoint_writes_is_foreign()
    {
        WriteRun();
        Write("checkpoint/g-00000003/notes.txt");

        Assert.Contains($"holds '{Path.Combine("checkpoint", "g-00000003", "notes.txt")}'", Problem(_folder));
    }

    [Fact]
    public void A_dotted_tmp_file_is_a_run_s_own_only_with_the_temporary_name_s_32_hex_digits()
    {
        WriteRun();
        Write(".summary.json.0123456789abcdef0123456789abcdef.tmp");
        Assert.Empty(RunFolder.Problems(_folder, overwrite: true));

        Write(".bashrc.tmp");
        Assert.Contains("holds '.bashrc.tmp'", Problem(_folder));
    }

    [Fact]
    public void A_comparison_s_strategy_folders_are_its_own_but_a_folder_of_other_files_is_not()
    {
        Write("comparison.json");
        WriteRun("none");
        WriteRun("norm-1");
        Assert.Empty(RunFolder.Problems(_folder, overwrite: true));

        Write("photos/loss.png");
        Assert.Contains("holds 'photos'", Problem(_folder));
    }

    [Fact]
    public void A_file_that_arrives_after_the_options_were_read_is_caught_under_the_lock_and_nothing_is_deleted()
    {
        WriteRun();
        Assert.Empty(RunFolder.Problems(_folder, overwrite: true));
        using var held = RunFolderLock.Acquire(_folder);
        Write("notes.txt", "mine");

        var refused = Assert.Throws<UsageException>(() => RunFolder.Prepare(_folder, overwrite: true));

        Assert.Contains("holds 'notes.txt'", refused.Message);
        Assert.True(File.Exists(Path.Combine(_folder, "summary.json")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_folder, "notes.txt")));
    }

    [Fact]
    public void Without_overwrite_a_folder_that_took_a_run_meanwhile_is_refused_under_the_lock()
    {
        using var held = RunFolderLock.Acquire(_folder);
        RunFolder.Prepare(_folder, overwrite: false);
        WriteRun();

        var refused = Assert.Throws<UsageException>(() => RunFolder.Prepare(_folder, overwrite: false));

        Assert.Contains("already holds files", refused.Message);
        Assert.True(File.Exists(Path.Combine(_folder, "summary.json")));
    }
}
