using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GradClip.Cli.Common;
using GradClip.Serialization;

namespace GradClip.Cli.Tests.Train;

/// <summary>The run folder of <c>gradclip train</c>: one writer, append-only logs, and checkpoints that resume only what they hold.</summary>
public sealed class TrainRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out(string name = "run") => Path.Combine(_folder, name);

    private static string Flat(string output) => string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private string Marker => Path.Combine(Out(), "checkpoint", "checkpoint.json");

    private static readonly string[] Logs = ["metrics.csv", "metrics.jsonl", "steps.jsonl"];

    [Fact]
    public void A_second_run_on_a_folder_held_by_a_live_run_exits_2_naming_its_process_and_changes_nothing()
    {
        CliRunner.Run("train", "--epochs", "1", "--checkpoint-every", "1", "--out", Out());
        byte[] steps = File.ReadAllBytes(Path.Combine(Out(), "steps.jsonl"));
        using var held = RunFolderLock.Acquire(Out());

        var (code, output) = CliRunner.Run("train", "--epochs", "2", "--out", Out());
        var (resumeCode, resumeOutput) = CliRunner.Run("train", "--resume", Out(), "--epochs", "2");

        Assert.Equal((ExitCodes.BadInput, ExitCodes.BadInput), (code, resumeCode));
        Assert.Contains($"--out: '{Out()}' is being written by another gradclip run (process {Environment.ProcessId})", Flat(output));
        Assert.Contains($"--resume: '{Out()}' is being written by another gradclip run (process {Environment.ProcessId})", Flat(resumeOutput));
        Assert.Equal(steps, File.ReadAllBytes(Path.Combine(Out(), "steps.jsonl")));
    }

    [Fact]
    public void The_lock_a_killed_run_left_is_taken_over_saying_so_and_removed_at_the_end()
    {
        Directory.CreateDirectory(Out());
        File.WriteAllText(Path.Combine(Out(), RunFolderLock.FileName), "424242\n");

        var (code, output) = CliRunner.Run("train", "--epochs", "1", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains($"Took over the lock of '{Out()}' from process 424242, which is no longer running.", Flat(output));
        Assert.False(File.Exists(Path.Combine(Out(), RunFolderLock.FileName)));
    }

    [Fact]
    public void Temporary_files_and_generations_an_interrupted_save_left_are_removed_at_the_next_start()
    {
        CliRunner.Run("train", "--epochs", "1", "--checkpoint-every", "1", "--out", Out());
        string hex = Guid.NewGuid().ToString("N");
        string[] leftovers =
        [
            Path.Combine(Out(), $".steps.jsonl.{hex}.tmp"),
            Path.Combine(Out(), "checkpoint", $".checkpoint.json.{hex}.tmp"),
            Path.Combine(Out(), "checkpoint", "g-00000099", "weights.safetensors"),
        ];
        foreach (string leftover in leftovers)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
            File.WriteAllText(leftover, "half-written");
        }

        var (code, _) = CliRunner.Run("train", "--resume", Out(), "--epochs", "2");

        Assert.Equal(ExitCodes.Success, code);
        Assert.All(leftovers, leftover => Assert.False(File.Exists(leftover), leftover));
        Assert.Single(Directory.GetDirectories(Path.Combine(Out(), "checkpoint")));
    }

    [Fact]
    public void Records_appended_after_the_last_checkpoint_are_cut_off_on_resume_and_the_logs_match_an_uninterrupted_run()
    {
        CliRunner.Run("train", "--epochs", "2", "--checkpoint-every", "1", "--out", Out());
        foreach (string log in Logs)
        {
            // What a run killed between appending to its logs and switching in its checkpoint leaves.
            File.AppendAllText(Path.Combine(Out(), log), "{\"epoch\": 3, \"from\": \"the killed run\"}\n");
        }

        CliRunner.Run("train", "--resume", Out(), "--epochs", "3");
        CliRunner.Run("train", "--epochs", "3", "--out", Out("whole"));

        foreach (string log in Logs)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Out("whole"), log)), File.ReadAllBytes(Path.Combine(Out(), log)));
        }
    }

    [Theory]
    [InlineData("lr", "abc", "--lr")]
    [InlineData("epochs", "99999999999", "--epochs")]
    [InlineData("nonfinite", "sometimes", "--nonfinite")]
    [InlineData("max-norm", "-1", "--max-norm: must be finite and greater than zero, but was -1")]
    [InlineData("hidden", "0", "--hidden")]
    public void A_checkpoint_option_that_the_command_line_would_refuse_exits_2_naming_it_its_value_and_the_file(string option, string value, string expected)
    {
        CliRunner.Run("train", "--epochs", "1", "--checkpoint-every", "1", "--out", Out());
        var marker = JsonNode.Parse(File.ReadAllText(Marker))!.AsObject();
        marker["options"]![option] = value;
        File.WriteAllText(Marker, marker.ToJsonString());

        var (code, output) = CliRunner.Run("train", "--resume", Out(), "--epochs", "2");

        Assert.Equal(ExitCodes.BadInput, code);
        string text = Flat(output);
        Assert.Contains($"'{Marker}' records an option that cannot be used", text);
        Assert.Contains(expected, text);
        Assert.Contains(value, text);
    }

    [Fact]
    public void Resuming_on_a_data_file_that_changed_exits_2_saying_what_differs()
    {
        string data = Path.Combine(_folder, "data.csv");
        File.WriteAllText(data, Csv(seed: 1));
        CliRunner.Run("train", "--data", data, "--epochs", "1", "--checkpoint-every", "1", "--out", Out());
        File.WriteAllText(data, Csv(seed: 2));

        var (code, output) = CliRunner.Run("train", "--resume", Out(), "--epochs", "2");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--resume: the run in '{Out()}' was trained on data-sha256 '", Flat(output));
        Assert.Contains("a resumed run must train on the same data as before", Flat(output));
    }

    /// <summary>A small classification CSV whose values depend on <paramref name="seed"/>.</summary>
    private static string Csv(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 60; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{random.NextDouble():R},{random.NextDouble():R},{i % 2}\n");
        }
        return text.ToString();
    }
}
