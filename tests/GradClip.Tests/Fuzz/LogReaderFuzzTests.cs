using System.Text;
using GradClip.Logs;
using GradClip.Tests.Data;

namespace GradClip.Tests.Fuzz;

/// <summary>Damaged and random training logs of each kind give a trace or a <see cref="LogFormatException"/>, quickly and in bounded memory.</summary>
public sealed class LogReaderFuzzTests : IDisposable
{
    private const int Iterations = 150;

    private static readonly byte[] TrainerState = Encoding.UTF8.GetBytes(
        """
        {"global_step": 30, "logging_steps": 10, "log_history": [
          {"epoch": 0.3, "grad_norm": 1.5, "learning_rate": 1e-05, "loss": 2.5, "step": 10},
          {"epoch": 0.6, "grad_norm": NaN, "learning_rate": 1e-05, "loss": Infinity, "step": 20},
          {"epoch": 0.6, "eval_loss": 2.1, "eval_accuracy": 0.5, "eval_runtime": 1.5, "step": 20},
          {"epoch": 0.9, "grad_norm": 0.9, "loss": 1.9, "step": 30}],
         "max_steps": 30}
        """);

    private static readonly byte[] LightningCsv = Encoding.UTF8.GetBytes(
        "epoch,grad_2.0_norm/fc.weight,grad_2.0_norm_total,step,train_loss_step,val_acc,val_loss\n" +
        "0,0.3,0.5,0,2.3,,\n0,nan,inf,1,2.1,,\n0,,,1,,0.5,1.9\n1,0.2,0.4,2,1.8,,\n");

    private static readonly byte[] JsonLines = Encoding.UTF8.GetBytes(
        "{\"step\": 1, \"loss\": 2.0, \"grad_norm\": 4.0, \"param_norms\": {\"w\": 1.0}}\n" +
        "{\"step\": 2, \"loss\": NaN, \"grad_norm\": 3.0, \"param_norms\": {\"w\": 2.0}}\n" +
        "{\"step\": 2, \"val_loss\": 1.5}\n");

    private readonly TempFolder _folder = new();
    private int _count;

    public void Dispose() => _folder.Dispose();

    private Action<byte[]> ReadAs(string name) => input =>
    {
        string folder = Path.Combine(_folder.Path, (_count++).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, input);
        var trace = LogReader.Read(path).Trace;
        for (int row = 1; row < trace.Count; row++)
        {
            Assert.True(trace.Steps[row] > trace.Steps[row - 1]);
        }
    };

    [Fact]
    public void The_seed_logs_are_valid_so_mutations_start_from_real_logs()
    {
        ReadAs("trainer_state.json")(TrainerState);
        ReadAs("metrics.csv")(LightningCsv);
        ReadAs("train.jsonl")(JsonLines);
    }

    [Fact]
    public void Mutated_trainer_states_give_a_trace_or_a_LogFormatException() =>
        ReaderProbe.Sample<LogFormatException>(Mutations.Of(TrainerState, Mutations.JsonTokens), ReadAs("trainer_state.json"), Iterations);

    [Fact]
    public void Mutated_Lightning_logs_give_a_trace_or_a_LogFormatException() =>
        ReaderProbe.Sample<LogFormatException>(Mutations.Of(LightningCsv, Mutations.CsvTokens), ReadAs("metrics.csv"), Iterations);

    [Fact]
    public void Mutated_JSON_lines_give_a_trace_or_a_LogFormatException() =>
        ReaderProbe.Sample<LogFormatException>(Mutations.Of(JsonLines, Mutations.JsonTokens), ReadAs("train.jsonl"), Iterations);

    [Fact]
    public void Random_bytes_give_a_trace_or_a_LogFormatException() =>
        ReaderProbe.Sample<LogFormatException>(Mutations.RandomBytes, ReadAs("log.csv"), Iterations);
}
