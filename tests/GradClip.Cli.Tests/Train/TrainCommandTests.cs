using System.Globalization;
using System.Text;
using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Data;

namespace GradClip.Cli.Tests.Train;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-train-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out(string name = "run") => Path.Combine(_folder, name);

    /// <summary>The output with its line breaks (the console wraps at 100 columns) and runs of spaces made single spaces.</summary>
    private static string Flat(string output) => string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static JsonElement Summary(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json"))).RootElement;

    [Fact]
    public void The_default_run_reaches_85_percent_and_prints_the_seed_table()
    {
        var (code, output) = CliRunner.Run("train", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Grad norm before", output);
        Assert.Contains("Clipped", output);
        Assert.Contains("Val", output);
        Assert.Contains("Epochs", output);
        Assert.Contains("Verdict:", output);
        var summary = Summary(Out());
        Assert.True(summary.GetProperty("best").GetProperty("val_accuracy").GetDouble() >= 0.85);
        Assert.Equal(20, summary.GetProperty("epochs_run").GetInt32());
        foreach (string file in new[] { "metrics.csv", "metrics.jsonl", "steps.jsonl", "model.safetensors", "model.json", "summary.json", "report.html", "grad_norm.png" })
        {
            Assert.True(File.Exists(Path.Combine(Out(), file)), file);
        }
    }

    [Fact]
    public void A_run_whose_weights_go_non_finite_saves_no_model_and_exits_1_saying_so()
    {
        var (code, output) = CliRunner.Run("train", "--nonfinite", "propagate", "--lr", "1e30", "--epochs", "2", "--no-plots", "--out", Out());

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("so no model was saved", Flat(output));
        Assert.DoesNotContain("initial weights", output);
        Assert.False(File.Exists(Path.Combine(Out(), "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(Out(), "model.json")));
        var summary = Summary(Out());
        Assert.False(summary.GetProperty("model_saved").GetBoolean());
        Assert.Equal(0, summary.GetProperty("best_epoch").GetInt32());
        Assert.Equal(ExitCodes.BadInput, CliRunner.Run("predict", "--model", Out(), "--row", string.Join(",", Enumerable.Repeat("0", 10))).ExitCode);
    }

    [Fact]
    public void Data_needing_more_memory_than_the_process_may_use_is_refused_saying_how_much()
    {
        // 400,000 rows × 10 features: about 46 MB to load and train on, against a 32 MB heap in the child process.
        string path = Path.Combine(_folder, "big.csv");
        File.WriteAllText(path, "a,b,c,d,e,f,g,h,i,j,y\n" + string.Concat(Enumerable.Repeat("1,2,3,4,5,6,7,8,9,1,0\n2,3,4,5,6,7,8,9,1,2,1\n", 200_000)));
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GradClip.Cli.dll"), "train", "--data", path, "--out", Out()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_GCHeapHardLimit"] = "0x2000000" },
        };

        using var process = System.Diagnostics.Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(ExitCodes.BadInput, process.ExitCode);
        Assert.Contains("400000 rows × 10 features need about 46 MB to load and train on, but only", Flat(output));
        Assert.False(Directory.Exists(Out()));
        // Without the limit the same file loads: the refusal comes from the memory there is, not from a size cap.
        Assert.Equal(400_000, CsvDataLoader.Load(path).RowCount);
    }

    /// <summary>Two separable classes, 40 rows: "a{d}b{d}label" with <paramref name="delimiter"/>, numbers with <paramref name="decimalSeparator"/>.</summary>
    private static string Rows(char delimiter, char decimalSeparator, Func<int, string>? label = null)
    {
        var text = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            double x = (i % 2 == 0 ? 1 : -1) + i * 0.01;
            string Cell(double v) => v.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', decimalSeparator);
            text.Append(Cell(x)).Append(delimiter).Append(Cell(-x)).Append(delimiter).Append(label?.Invoke(i) ?? (i % 2 == 0 ? "up" : "down")).Append('\n');
        }
        return text.ToString();
    }

    [Fact]
    public void A_semicolon_file_with_decimal_commas_trains_and_says_how_it_was_read()
    {
        string path = Path.Combine(_folder, "semicolon.csv");
        File.WriteAllText(path, "a;b;label\n" + Rows(';', ','));

        var (code, output) = CliRunner.Run("train", "--data", path, "--epochs", "2", "--no-plots", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("read as semicolon-separated (detected), decimal comma (detected), header row", Flat(output));
        Assert.Contains("40 rows × 2 features", output);
    }

    [Fact]
    public void A_file_without_a_header_is_refused_with_the_fix_and_trains_with_no_header()
    {
        string path = Path.Combine(_folder, "headless.csv");
        File.WriteAllText(path, Rows(',', '.', i => (i % 2).ToString(CultureInfo.InvariantCulture)));

        var (refused, message) = CliRunner.Run("train", "--data", path, "--epochs", "2", "--out", Out("refused"));
        var (code, output) = CliRunner.Run("train", "--data", path, "--no-header", "--epochs", "2", "--no-plots", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, refused);
        Assert.Contains("line 1: the first row (1.00, -1.00, 0) looks like data", Flat(message));
        Assert.False(Directory.Exists(Out("refused")));
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("40 rows × 2 features", output);
        Assert.Contains("target 'c2'", output);
    }

    [Fact]
    public void Windows_1252_text_is_refused_as_utf8_naming_the_byte_and_read_with_its_encoding()
    {
        string path = Path.Combine(_folder, "cp1252.csv");
        byte[] text = Encoding.ASCII.GetBytes("a,b,label\n" + Rows(',', '.', i => i % 2 == 0 ? "EUR" : "#"));
        File.WriteAllBytes(path, [.. text.SelectMany(b => b == (byte)'#' ? new byte[] { 0x80 } : [b])]);

        var (refused, message) = CliRunner.Run("train", "--data", path, "--epochs", "2", "--out", Out("refused"));
        var (code, output) = CliRunner.Run("train", "--data", path, "--encoding", "windows-1252", "--epochs", "2", "--no-plots", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, refused);
        Assert.Contains("line 3: byte 36 (0x80) is not valid UTF-8", Flat(message));
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("2 classes (EUR, €)", output);
    }

    /// <summary>A CSV of <see cref="Rows"/> with an id column first and column 'a' empty on every seventh row.</summary>
    private string GapsCsv()
    {
        string path = Path.Combine(_folder, "gaps.csv");
        string rows = Rows(',', '.');
        File.WriteAllText(path, "id,a,b,label\n" + string.Concat(rows.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select((line, i) => $"{i},{(i % 7 == 3 ? "," + line[(line.IndexOf(',') + 1)..] : line)}\n")));
        return path;
    }

    [Fact]
    public void Missing_values_filled_with_training_means_are_saved_and_filled_the_same_way_by_predict()
    {
        string path = GapsCsv();

        var (refused, message) = CliRunner.Run("train", "--data", path, "--ignore-columns", "id", "--epochs", "2", "--out", Out("refused"));
        var (code, _) = CliRunner.Run("train", "--data", path, "--ignore-columns", "id", "--missing", "mean", "--epochs", "2", "--no-plots", "--out", Out());
        string input = Path.Combine(_folder, "input.csv");
        File.WriteAllText(input, "a,b\n,1\n2,-2\n");
        var (predicted, table) = CliRunner.Run("predict", "--model", Out(), "--input", input);

        Assert.Equal(ExitCodes.BadInput, refused);
        Assert.Contains("6 cells are not usable numbers: line 5, column 'a': the cell is empty", Flat(message));
        Assert.Equal(ExitCodes.Success, code);
        var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out(), "model.json"))).RootElement;
        Assert.Equal(2, model.GetProperty("imputer").GetProperty("means").GetArrayLength());
        Assert.Equal(new[] { "a", "b" }, model.GetProperty("features").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(ExitCodes.Success, predicted);
        Assert.DoesNotContain("NaN", table);
    }

    [Fact]
    public void A_folder_holding_a_run_is_refused_and_left_as_it_was()
    {
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--epochs", "2", "--no-plots", "--out", Out()).ExitCode);
        string summary = File.ReadAllText(Path.Combine(Out(), "summary.json"));

        var (code, output) = CliRunner.Run("train", "--epochs", "3", "--seed", "4", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--out: '{Out()}' already holds files, and a run never writes over another; name a new folder, or pass --overwrite", Flat(output));
        Assert.Equal(summary, File.ReadAllText(Path.Combine(Out(), "summary.json")));
    }

    [Fact]
    public void Overwrite_replaces_a_run_whole_leaving_nothing_of_the_old_one()
    {
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--epochs", "2", "--checkpoint-every", "1", "--out", Out()).ExitCode);
        Assert.NotEmpty(Directory.GetFiles(Out(), "*.png"));

        var (code, _) = CliRunner.Run("train", "--epochs", "2", "--no-plots", "--overwrite", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(Directory.GetFiles(Out(), "*.png"));
        Assert.False(Directory.Exists(Path.Combine(Out(), "checkpoint")));
        Assert.Equal(2, Summary(Out()).GetProperty("epochs_run").GetInt32());
    }

    [Fact]
    public void Overwrite_never_empties_a_folder_holding_other_files()
    {
        Directory.CreateDirectory(Out());
        File.WriteAllText(Path.Combine(Out(), "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(Out(), "summary.json"), "{}");

        var (code, output) = CliRunner.Run("train", "--epochs", "2", "--overwrite", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("holds 'notes.txt', which is not a file of a GradClip run", Flat(output));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Out(), "notes.txt")));
    }

    [Fact]
    public void Overwrite_never_empties_a_folder_of_pictures()
    {
        Directory.CreateDirectory(Out());
        File.WriteAllText(Path.Combine(Out(), "loss.png"), "mine");
        File.WriteAllText(Path.Combine(Out(), "beach.png"), "mine");

        var (code, output) = CliRunner.Run("train", "--epochs", "2", "--overwrite", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--overwrite: '{Out()}' holds no GradClip run", Flat(output));
        Assert.Equal(new[] { "beach.png", "loss.png" }, Directory.GetFileSystemEntries(Out()).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Overwrite_never_empties_the_working_folder()
    {
        var (code, output) = CliRunner.Run("train", "--epochs", "2", "--overwrite", "--out", ".");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--overwrite: '.' is the working folder or a folder above it, which is never emptied", Flat(output));
    }

    [Fact]
    public void Overwrite_refuses_a_folder_a_live_run_holds()
    {
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--epochs", "2", "--no-plots", "--out", Out()).ExitCode);
        using var live = GradClip.Serialization.RunFolderLock.Acquire(Out());

        var (code, output) = CliRunner.Run("train", "--epochs", "2", "--overwrite", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--out: '{Out()}' is being written by another gradclip run (process {Environment.ProcessId})", Flat(output));
        Assert.True(File.Exists(Path.Combine(Out(), "summary.json")));
    }

    [Fact]
    public void No_plots_writes_the_report_without_images()
    {
        var (code, _) = CliRunner.Run("train", "--epochs", "2", "--no-plots", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        Assert.True(File.Exists(Path.Combine(Out(), "report.html")));
        Assert.Empty(Directory.GetFiles(Out(), "*.png"));
        Assert.Empty(Directory.GetFiles(Out(), "*.svg"));
    }

    [Fact]
    public void The_same_seed_gives_identical_metrics()
    {
        CliRunner.Run("train", "--epochs", "3", "--seed", "5", "--out", Out("a"));
        CliRunner.Run("train", "--epochs", "3", "--seed", "5", "--out", Out("b"));

        Assert.Equal(File.ReadAllText(Path.Combine(Out("a"), "metrics.csv")), File.ReadAllText(Path.Combine(Out("b"), "metrics.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(Out("a"), "steps.jsonl")), File.ReadAllText(Path.Combine(Out("b"), "steps.jsonl")));
    }

    [Fact]
    public void The_table_columns_summarize_the_recorded_steps_and_clipping_holds_the_limit()
    {
        CliRunner.Run("train", "--epochs", "3", "--max-norm", "0.5", "--out", Out());

        var steps = File.ReadAllLines(Path.Combine(Out(), "steps.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var epochs = File.ReadAllLines(Path.Combine(Out(), "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var epoch in epochs)
        {
            var mine = steps.Where(s => s.GetProperty("epoch").GetInt32() == epoch.GetProperty("epoch").GetInt32()).ToList();
            double before = mine.Average(s => s.GetProperty("grad_norm_before").GetDouble());
            double clipRate = mine.Count(s => s.GetProperty("clipped").GetBoolean()) / (double)mine.Count;
            Assert.Equal(before, epoch.GetProperty("grad_norm_before_mean").GetDouble(), 9);
            Assert.Equal(clipRate, epoch.GetProperty("clip_rate").GetDouble(), 9);
            Assert.Equal(mine.Max(s => s.GetProperty("grad_norm_before").GetDouble()), epoch.GetProperty("grad_norm_before_max").GetDouble());
        }
        Assert.All(steps, s => Assert.True(s.GetProperty("grad_norm_after").GetDouble() <= 0.5 + 1e-5));
        Assert.Contains(steps, s => s.GetProperty("clipped").GetBoolean());
    }

    [Fact]
    public void Unscaled_data_at_a_high_learning_rate_is_flagged_without_clipping_and_trains_with_it()
    {
        string csv = UnscaledCsv(scale: 100);
        string[] common = ["train", "--data", csv, "--no-standardize", "--optimizer", "sgd", "--lr", "0.01", "--epochs", "10"];

        CliRunner.Run([.. common, "--clip", "none", "--out", Out("free")]);
        CliRunner.Run([.. common, "--clip", "norm", "--max-norm", "1", "--out", Out("clipped")]);

        var free = Summary(Out("free"));
        var clipped = Summary(Out("clipped"));
        Assert.NotEqual("Healthy", free.GetProperty("verdicts")[0].GetProperty("kind").GetString());
        Assert.True(free.GetProperty("final").GetProperty("val_accuracy").GetDouble() < 0.4);
        Assert.True(clipped.GetProperty("best").GetProperty("val_accuracy").GetDouble() > 0.5);
    }

    [Theory]
    [InlineData("missing.csv", null, "--data: file")]
    [InlineData("empty.csv", "", "empty.csv")]
    [InlineData("ragged.csv", "a,b,y\n1,2,0\n3,0\n", "ragged.csv, line 3")]
    [InlineData("text.csv", "a,b,y\n1,2,0\n3,abc,1\n", "line 3, column 'b': 'abc'")]
    [InlineData("nan.csv", "a,b,y\n1,2,0\n3,nan,1\n", "line 3, column 'b'")]
    [InlineData("single.csv", "a,b,y\n1,2,0\n3,4,0\n5,6,0\n", "single.csv")]
    public void Bad_data_exits_2_naming_the_file_and_leaves_no_files(string name, string? content, string message)
    {
        string path = Path.Combine(_folder, name);
        if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        var (code, output) = CliRunner.Run("train", "--data", path, "--out", Out());

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, output);
        Assert.False(Directory.Exists(Out()));
    }

    [Fact]
    public void An_unknown_target_lists_the_columns()
    {
        string path = Path.Combine(_folder, "d.csv");
        File.WriteAllText(path, "a,b,y\n1,2,0\n3,4,1\n");

        var (code, output) = CliRunner.Run("train", "--data", path, "--target", "label", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("label", output);
        Assert.Contains("'y'", output);
    }

    [Theory]
    [InlineData(new[] { "--epochs", "0" }, "--epochs: must be between 1")]
    [InlineData(new[] { "--lr", "-1" }, "--lr: must be finite and greater than zero, but was -1.")]
    [InlineData(new[] { "--hidden", "64,x" }, "--hidden: 'x' in '64,x'")]
    [InlineData(new[] { "--val-split", "1.5" }, "--val-split: must be between 0 and 1")]
    [InlineData(new[] { "--clip", "value", "--max-norm", "2" }, "--max-norm: applies to --clip norm, but --clip is value.")]
    [InlineData(new[] { "--norm-type", "0" }, "--norm-type: the norm order must be greater than zero")]
    [InlineData(new[] { "--percentile", "30" }, "--percentile: applies to --clip autoclip, but --clip is norm.")]
    [InlineData(new[] { "--clip", "autoclip", "--percentile", "120" }, "--percentile: must be between 0 and 100, but was 120.")]
    [InlineData(new[] { "--clip", "zclip", "--z-threshold", "-1" }, "--z-threshold: must be finite and greater than zero")]
    [InlineData(new[] { "--optimizer", "lbfgs" }, "lbfgs")]
    [InlineData(new[] { "--hidden", "65536,65536" }, "--hidden: the network 10-65536-65536-3 would have 4,295,950,339")]
    [InlineData(new[] { "--batch-size", "many" }, "many")]
    [InlineData(new[] { "--checkpoint-every", "0" }, "--checkpoint-every: must be at least 1 (epochs), but was 0.")]
    [InlineData(new[] { "--checkpoint-every", "-3" }, "--checkpoint-every: must be at least 1 (epochs), but was -3.")]
    public void Bad_options_exit_2_with_a_message_naming_the_option_and_leave_no_files(string[] args, string message)
    {
        var (code, output) = CliRunner.Run(["train", .. args, "--out", Out()]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, output);
        Assert.False(Directory.Exists(Out()));
    }

    [Theory]
    [InlineData("autoclip", "AutoClip", 0.5)]
    [InlineData("zclip", "ZClip", 0.04)]
    [InlineData("agc", "AGC", 0.5)]
    public void Adaptive_clipping_trains_and_reports_how_often_it_fired(string mode, string shown, double minimumClipRate)
    {
        var (code, output) = CliRunner.Run("train", "--clip", mode, "--epochs", "3", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains(shown, output);
        var summary = Summary(Out());
        Assert.Equal(mode, summary.GetProperty("options").GetProperty("clip").GetString());
        Assert.True(summary.GetProperty("final").GetProperty("clip_rate").GetDouble() >= minimumClipRate);
        Assert.True(summary.GetProperty("best").GetProperty("val_accuracy").GetDouble() > 0.6);
    }

    [Fact]
    public void Several_bad_options_are_all_reported_at_once()
    {
        var (code, output) = CliRunner.Run("train", "--epochs", "0", "--lr", "0", "--batch-size", "0", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--epochs:", output);
        Assert.Contains("--lr:", output);
        Assert.Contains("--batch-size:", output);
    }

    [Fact]
    public void An_output_path_that_is_a_file_is_refused()
    {
        string file = Path.Combine(_folder, "taken");
        File.WriteAllText(file, "x");

        var (code, output) = CliRunner.Run("train", "--epochs", "1", "--out", file);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("is a file; a folder is needed", output);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_created_exits_2_before_any_work()
    {
        string file = Path.Combine(_folder, "taken");
        File.WriteAllText(file, "x");

        var (code, output) = CliRunner.Run("train", "--epochs", "1", "--out", Path.Combine(file, "run", "deeper"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--out: cannot write into folder", output);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--optimizer", "adam", "--clip", "norm")]
    [InlineData("--optimizer", "sgd", "--clip", "autoclip")]
    [InlineData("--optimizer", "adamw", "--clip", "zclip")]
    [InlineData("--optimizer", "sgd", "--momentum", "0.5", "--weight-decay", "0.001", "--dropout", "0.3", "--clip", "norm")]
    public void Training_2_epochs_and_resuming_to_4_writes_the_same_bytes_as_training_4(params string[] setup)
    {
        CliRunner.Run(["train", .. setup, "--epochs", "4", "--checkpoint-every", "2", "--out", Out("whole")]);
        CliRunner.Run(["train", .. setup, "--epochs", "2", "--checkpoint-every", "2", "--out", Out("halves")]);

        var (code, output) = CliRunner.Run("train", "--resume", Out("halves"), "--epochs", "4");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("4 epochs", output);
        foreach (string file in new[] { "metrics.csv", "metrics.jsonl", "steps.jsonl", "model.safetensors" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(Out("whole"), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(Out("halves"), file))), file);
        }
        Assert.Equal(4, Summary(Out("halves")).GetProperty("epochs_run").GetInt32());
    }

    [Fact]
    public void A_checkpoint_folder_without_its_marker_is_refused_on_resume_as_incomplete()
    {
        CliRunner.Run("train", "--epochs", "2", "--checkpoint-every", "1", "--out", Out());
        File.Delete(Path.Combine(Out(), "checkpoint", "checkpoint.json"));

        var (code, output) = CliRunner.Run("train", "--resume", Out(), "--epochs", "3");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--resume:", output);
        Assert.Contains("checkpoint.json: not found: no checkpoint was written yet", Flat(output));
    }

    [Fact]
    public void A_damaged_checkpoint_file_is_refused_on_resume_naming_the_file()
    {
        CliRunner.Run("train", "--epochs", "1", "--checkpoint-every", "1", "--out", Out());
        string generation = Directory.GetDirectories(Path.Combine(Out(), "checkpoint")).Single();
        File.WriteAllText(Path.Combine(generation, "state.json"), "{\"optimizer\": 3}");

        var (code, output) = CliRunner.Run("train", "--resume", Out(), "--epochs", "2");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("state.json: does not match the SHA-256 that checkpoint.json records for it", Flat(output));
    }

    [Fact]
    public void Options_that_contradict_the_checkpoint_exit_2_each_named_and_change_nothing()
    {
        CliRunner.Run("train", "--epochs", "1", "--checkpoint-every", "1", "--out", Out());
        byte[] metrics = File.ReadAllBytes(Path.Combine(Out(), "metrics.csv"));

        var (code, output) = CliRunner.Run("train", "--resume", Out(), "--epochs", "3", "--lr", "0.1", "--clip", "autoclip", "--seed", "0");

        Assert.Equal(ExitCodes.BadInput, code);
        string text = Flat(output);
        Assert.Contains("--lr: the run in", text);
        Assert.Contains("was trained with '0.003', not '0.1'", text);
        Assert.Contains("--clip: the run in", text);
        Assert.DoesNotContain("--seed:", text);
        Assert.Equal(metrics, File.ReadAllBytes(Path.Combine(Out(), "metrics.csv")));
    }

    [Fact]
    public void A_run_read_with_csv_options_resumes_with_them_to_the_bytes_of_an_uninterrupted_run()
    {
        string path = GapsCsv();
        string[] setup = ["train", "--data", path, "--ignore-columns", "id", "--missing", "mean", "--checkpoint-every", "1", "--no-plots"];
        CliRunner.Run([.. setup, "--epochs", "3", "--out", Out("whole")]);
        CliRunner.Run([.. setup, "--epochs", "2", "--out", Out("halves")]);

        var (code, output) = CliRunner.Run("train", "--resume", Out("halves"), "--epochs", "3", "--ignore-columns", "id");

        Assert.True(code == ExitCodes.Success, output);
        foreach (string file in new[] { "metrics.csv", "metrics.jsonl", "steps.jsonl", "model.safetensors" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(Out("whole"), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(Out("halves"), file))), file);
        }
        var options = Summary(Out("halves")).GetProperty("options");
        Assert.Equal(("id", "mean"), (options.GetProperty("ignore_columns").GetString(), options.GetProperty("missing").GetString()));
    }

    [Fact]
    public void Resuming_with_another_missing_value_rule_exits_2_naming_the_option_and_changes_nothing()
    {
        CliRunner.Run("train", "--data", GapsCsv(), "--ignore-columns", "id", "--missing", "mean", "--epochs", "1", "--checkpoint-every", "1", "--no-plots", "--out", Out());
        byte[] metrics = File.ReadAllBytes(Path.Combine(Out(), "metrics.csv"));

        var (code, output) = CliRunner.Run("train", "--resume", Out(), "--epochs", "2", "--missing", "drop");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--missing: the run in '{Out()}' was trained with 'mean', not 'drop'", Flat(output));
        Assert.DoesNotContain("--ignore-columns:", Flat(output));
        Assert.Equal(metrics, File.ReadAllBytes(Path.Combine(Out(), "metrics.csv")));
    }

    [Fact]
    public void Resuming_needs_at_least_the_epochs_the_checkpoint_has_trained()
    {
        CliRunner.Run("train", "--epochs", "3", "--checkpoint-every", "1", "--out", Out());

        var (code, output) = CliRunner.Run("train", "--resume", Out(), "--epochs", "2");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("has trained 3 epochs already; pass --epochs 3 to finish its files, or more to train longer", Flat(output));
    }

    [Fact]
    public void Resuming_a_run_stopped_after_its_last_checkpoint_finishes_its_files_without_training()
    {
        CliRunner.Run("train", "--epochs", "2", "--checkpoint-every", "1", "--out", Out());
        byte[] metrics = File.ReadAllBytes(Path.Combine(Out(), "metrics.jsonl"));
        byte[] model = File.ReadAllBytes(Path.Combine(Out(), "model.safetensors"));
        // As a kill while the run wrote its files after the last checkpoint leaves it.
        File.Delete(Path.Combine(Out(), "model.safetensors"));

        var (code, output) = CliRunner.Run("train", "--resume", Out());

        Assert.True(code == ExitCodes.Success, output);
        Assert.Equal(metrics, File.ReadAllBytes(Path.Combine(Out(), "metrics.jsonl")));
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(Out(), "model.safetensors")));
    }

    [Theory]
    [InlineData("absent", "--resume: folder")]
    [InlineData("file", "is a file; the output folder of an earlier 'gradclip train' run is needed")]
    [InlineData("empty", "holds no checkpoint folder")]
    public void A_resume_folder_without_a_checkpoint_exits_2_saying_why(string kind, string message)
    {
        string folder = Path.Combine(_folder, kind);
        if (kind == "file")
        {
            File.WriteAllText(folder, "x");
        }
        else if (kind == "empty")
        {
            Directory.CreateDirectory(folder);
        }

        var (code, output) = CliRunner.Run("train", "--resume", folder, "--epochs", "2");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, Flat(output));
    }

    /// <summary>The built-in data, standardized and then multiplied by <paramref name="scale"/>, as a CSV file.</summary>
    private string UnscaledCsv(float scale)
    {
        var data = BuiltInData.Shells(0);
        var split = DataSplit.Create(data, 0.2, 0);
        var x = Standardizer.Fit(data, split.TrainRows.AsSpan()).Transform(data.Features.AsSpan());
        var text = new StringBuilder(string.Join(",", data.FeatureNames) + ",class\n");
        for (int r = 0; r < data.RowCount; r++)
        {
            for (int f = 0; f < data.FeatureCount; f++)
            {
                text.Append((x[r * data.FeatureCount + f] * scale).ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }
            text.Append(data.ClassNames[data.Labels[r]]).Append('\n');
        }
        string path = Path.Combine(_folder, "unscaled.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void Early_stopping_says_when_and_why_it_stopped_and_keeps_the_best_epoch()
    {
        var (code, output) = CliRunner.Run("train", "--epochs", "60", "--lr", "0.05", "--patience", "2", "--no-plots", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        var summary = Summary(Out());
        int run = summary.GetProperty("epochs_run").GetInt32();
        int best = summary.GetProperty("best_epoch").GetInt32();
        Assert.True(run < 60, $"ran all {run} epochs");
        Assert.Equal(best + 2, run);
        string why = summary.GetProperty("early_stop").GetString()!;
        Assert.StartsWith($"Stopped early after epoch {run} of 60: val_loss has not improved for 2 epochs", why);
        Assert.Contains(why, Flat(output));
        var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out(), "model.json"))).RootElement.GetProperty("options");
        Assert.Equal(("2", "val_loss", "constant"), (options.GetProperty("patience").GetString(), options.GetProperty("monitor").GetString(), options.GetProperty("lr_schedule").GetString()));
    }

    [Fact]
    public void A_dropout_model_records_its_dropout_and_predicts_with_it_off()
    {
        var (code, output) = CliRunner.Run("train", "--epochs", "2", "--dropout", "0.25", "--no-plots", "--out", Out());

        Assert.True(code == ExitCodes.Success, output);
        var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out(), "model.json"))).RootElement;
        Assert.Equal(0.25, model.GetProperty("dropout").GetDouble());
        Assert.Equal("0.25", model.GetProperty("options").GetProperty("dropout").GetString());
        string row = string.Join(",", Enumerable.Repeat("0.5", 10));
        var first = CliRunner.Run("predict", "--model", Out(), "--row", row);
        var second = CliRunner.Run("predict", "--model", Out(), "--row", row);
        Assert.True(first.ExitCode == ExitCodes.Success, first.Output);
        Assert.Equal(first.Output, second.Output);
    }

    [Theory]
    [InlineData("--momentum: applies to --optimizer sgd", "--momentum", "0.5", "--optimizer", "adam")]
    [InlineData("--warmup: applies to --lr-schedule warmup-cosine", "--warmup", "2")]
    [InlineData("--warmup: must be at least 1 and below --epochs (3)", "--lr-schedule", "warmup-cosine", "--warmup", "3", "--epochs", "3")]
    [InlineData("--dropout: must be at least 0 and below 1, but was 1.", "--dropout", "1")]
    [InlineData("--patience: must be at least 1", "--patience", "0")]
    [InlineData("--weight-decay: must be finite and at least zero", "--weight-decay", "-0.1")]
    [InlineData("--dropout: applies to feed-forward models", "--task", "rnn-long", "--dropout", "0.2")]
    public void Training_options_out_of_place_or_range_exit_2_naming_the_option(string message, params string[] options)
    {
        var (code, output) = CliRunner.Run(["train", .. options, "--out", Out()]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, Flat(output));
        Assert.False(Directory.Exists(Out()));
    }

    [Fact]
    public void Monitoring_a_figure_the_task_does_not_report_exits_2_naming_those_it_does()
    {
        string path = Path.Combine(_folder, "r.csv");
        File.WriteAllText(path, "a,y\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i},{i * 0.37}")) + "\n");

        var (code, output) = CliRunner.Run("train", "--data", path, "--task", "regression", "--monitor", "val_accuracy", "--out", Out());

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--monitor: val_accuracy is not reported by a regression task", Flat(output));
        Assert.Contains("use one of val_loss, val_mae, val_rmse, val_r2.", Flat(output));
        Assert.False(Directory.Exists(Out()));
    }

    [Fact]
    public void A_resumed_run_keeps_its_schedule_and_regularization_and_refuses_a_change()
    {
        CliRunner.Run("train", "--epochs", "2", "--lr-schedule", "cosine", "--dropout", "0.2", "--patience", "5", "--checkpoint-every", "1", "--no-plots", "--out", Out());

        var (code, output) = CliRunner.Run("train", "--resume", Out(), "--epochs", "3", "--dropout", "0.4");
        var (resumedCode, _) = CliRunner.Run("train", "--resume", Out(), "--epochs", "3");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--dropout: the run in", Flat(output));
        Assert.Equal(ExitCodes.Success, resumedCode);
        var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out(), "model.json"))).RootElement.GetProperty("options");
        Assert.Equal(("cosine", "0.2", "5"), (options.GetProperty("lr_schedule").GetString(), options.GetProperty("dropout").GetString(), options.GetProperty("patience").GetString()));
    }

    [Fact]
    public void Piped_output_prints_one_line_per_epoch_as_it_ends_and_no_line_wider_than_the_console()
    {
        var (code, output) = CliRunner.Run("train", "--epochs", "3", "--no-plots", "--out", Out());

        Assert.Equal(ExitCodes.Success, code);
        var lines = output.Split('\n');
        var epochLines = lines.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("Epoch ", StringComparison.Ordinal) && l.line.Contains("/3  loss")).ToList();
        Assert.Equal(["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"], epochLines.Select(l => l.line[..9]));
        int table = Array.FindIndex(lines, l => l.Contains("Grad norm", StringComparison.Ordinal));
        Assert.True(epochLines[^1].i < table, "the epoch lines come before the final table");
        Assert.All(lines, line => Assert.True(line.TrimEnd('\r').Length <= 100, line));
        Assert.Contains(GradClip.Cli.Train.LossChart.Legend, output);
    }
}
