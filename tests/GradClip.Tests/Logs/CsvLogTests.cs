using GradClip.Diagnosis;
using GradClip.Logs;
using GradClip.Tests.Data;

namespace GradClip.Tests.Logs;

public sealed class CsvLogTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_a_real_Lightning_log_with_step_rows_epoch_rows_and_test_rows()
    {
        var reading = LogReader.Read(LogFiles.Fixture("lightning-mnist-metrics.csv"));
        var trace = reading.Trace;

        Assert.Equal(LogFormat.LightningCsv, reading.Format);
        Assert.Equal(75, trace.Count);
        Assert.Equal(49, trace.Steps[0]);
        Assert.Equal(1.0826207399368286, trace.Loss[0]);
        Assert.Equal(1, trace.Epoch[0]);
        Assert.Equal(5, trace.Epochs.Count);
        Assert.Equal((1.0, 749, 0.43204882740974426), (trace.Epochs[0].Epoch, trace.Epochs[0].Step, trace.Epochs[0].TrainLoss!.Value));
        Assert.Equal(0.8866041898727417, trace.Epochs[0].Metrics["acc_epoch"]);
        Assert.Equal("train_loss_step", reading.Columns.Single(c => c.Key == "loss").Value);
        Assert.Contains(reading.Notes, n => n.Contains("no gradient norm", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_Lightning_s_total_and_per_layer_gradient_norms()
    {
        string path = _folder.Write("metrics.csv",
            "epoch,grad_2.0_norm/fc1.weight,grad_2.0_norm/fc2.weight,grad_2.0_norm_total,lr-Adam,step,train_loss,val_acc,val_loss\r\n" +
            "0,0.3,0.4,0.5,0.001,0,2.3,,\r\n" +
            "0,nan,0.8,inf,0.001,1,2.1,,\r\n" +
            "0,,,,,1,,0.5,1.9\r\n");

        var reading = LogReader.Read(path);
        var trace = reading.Trace;

        Assert.Equal(LogFormat.LightningCsv, reading.Format);
        Assert.Equal([0, 1], trace.Steps.ToArray());
        Assert.Equal(0.5, trace.NormBefore[0]);
        Assert.Equal(double.PositiveInfinity, trace.NormBefore[1]);
        Assert.Equal(0.001, trace.LearningRate[0]);
        Assert.Equal(["fc1.weight", "fc2.weight"], trace.LayerNorms.Select(c => c.Name));
        Assert.Equal(0.4, trace.LayerNorms[1][0]);
        Assert.True(double.IsNaN(trace.LayerNorms[0][1]!.Value));
        var epoch = Assert.Single(trace.Epochs);
        Assert.Equal((1.0, 1, 1.9, 0.5), (epoch.Epoch, epoch.Step, epoch.ValLoss!.Value, epoch.ValAccuracy!.Value));
    }

    [Fact]
    public void Reads_a_real_Keras_log_one_row_per_epoch_counted_from_one()
    {
        var reading = LogReader.Read(LogFiles.Fixture("keras-training.log"));

        Assert.Equal(LogFormat.KerasCsv, reading.Format);
        Assert.Equal(17, reading.Trace.Count);
        Assert.Equal([1, 2, 3], reading.Trace.Steps[..3].ToArray());
        Assert.Equal(1.7160215377807617, reading.Trace.Loss[0]);
        Assert.Equal(0, reading.Trace.NormBefore.LoggedCount);
        Assert.Equal(17, reading.Trace.Epochs.Count);
        var second = reading.Trace.Epochs[1];
        Assert.Equal((2.0, 1.526178002357483, 7.41715145111084, 0.35873502492904663), (second.Epoch, second.TrainLoss!.Value, second.ValLoss!.Value, second.ValAccuracy!.Value));
        Assert.Equal(0.4645233154296875, second.Metrics["accuracy"]);
        Assert.Contains(reading.Notes, n => n.Contains("one row per epoch", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plain_CSV_with_its_own_column_names_is_read_through_the_column_options()
    {
        string path = _folder.Write("run.csv", "\uFEFFit,objective,gn,gn_clipped\n1,2.0,3.0,1.0\n2,1.5,0.5,0.5\n");

        var reading = LogReader.Read(path, new LogOptions(StepColumn: "it", LossColumn: "objective", NormColumn: "gn", NormAfterColumn: "gn_clipped"));
        var trace = reading.Trace;

        Assert.Equal(LogFormat.Csv, reading.Format);
        Assert.Equal([1, 2], trace.Steps.ToArray());
        Assert.Equal([2.0, 1.5], trace.Loss.Values.ToArray());
        Assert.Equal([1.0, 0.0], trace.Clipped.Values.ToArray());
        Assert.Equal(ClippingKind.Norm, trace.Setup.Clipping);
        Assert.Equal(1.0, trace.Setup.MaxNorm);
    }

    [Fact]
    public void Guesses_the_usual_names_and_numbers_rows_without_a_step_column()
    {
        string path = _folder.Write("log.csv", "loss,grad_norm_before,grad_norm_after\n2.0,3.0,3.0\n1.0,0.5,0.5\n");

        var reading = LogReader.Read(path);

        Assert.Equal([1, 2], reading.Trace.Steps.ToArray());
        Assert.Equal(3.0, reading.Trace.NormBefore[0]);
        Assert.Equal(ClippingKind.Unknown, reading.Trace.Setup.Clipping);
        Assert.Contains(reading.Notes, n => n.Contains("no step column", StringComparison.Ordinal));
    }

    [Fact]
    public void A_column_option_naming_no_column_lists_the_columns_there_are()
    {
        string path = _folder.Write("log.csv", "step,loss\n1,2.0\n");

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path, new LogOptions(NormColumn: "gradnorm")));

        Assert.Contains("--norm-column 'gradnorm': the log has no such column; it has 'step', 'loss'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_cell_is_named_by_file_line_and_column()
    {
        string path = _folder.Write("log.csv", "step,loss,grad_norm\r\n1,2.0,1.0\r\n2,two,1.0\r\n");

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path));

        Assert.Equal((3, "loss"), (error.Line, error.Column));
        Assert.Equal($"{path}, line 3, column 'loss': 'two' is not a number.", error.Message);
    }

    [Fact]
    public void A_ragged_row_is_named_by_its_line()
    {
        string path = _folder.Write("log.csv", "step,loss\n1,2.0\n2,1.0,7\n");

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path));

        Assert.Equal(3, error.Line);
        Assert.Contains("expected 2 fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CSV_that_is_no_training_log_names_the_known_formats_and_the_columns_seen()
    {
        string path = _folder.Write("iris.csv", "sepal_length,sepal_width,species\n5.1,3.5,setosa\n");

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path));

        Assert.Contains("Known formats: Hugging Face Trainer trainer_state.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("Columns seen: 'sepal_length', 'sepal_width', 'species'", error.Message, StringComparison.Ordinal);
    }
}
