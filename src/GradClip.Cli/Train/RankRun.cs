using System.CommandLine;
using GradClip.Cli.Common;
using GradClip.Distributed;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary>
/// Data-parallel <c>gradclip train</c>: <c>--ranks N</c> starts a job of N ranks with <c>mpirun</c>, and
/// <c>--distributed</c> is one rank of such a job (started by it or by the user's own <c>mpirun</c>).
/// </summary>
internal static class RankRun
{
    /// <summary>
    /// Starts the ranks: this command's arguments without --ranks, with --distributed (and the output folder chosen here),
    /// under <c>mpirun</c>; a stop signal here becomes a stop of all ranks at one step. Returns <c>mpirun</c>'s exit code.
    /// </summary>
    public static int Launch(TrainOptions options, ParseResult result, Option ranks, IAnsiConsole console, StopSignals stop)
    {
        var arguments = RankArguments(result, ranks);
        // The folder this command chose (runs/<time>-<random>), so that every rank and the user see the same.
        if (options.ResumeFolder is null && !arguments.Contains("--out"))
        {
            arguments.AddRange(["--out", options.OutputFolder]);
        }
        try
        {
            return MpiLauncher.Run(options.Ranks, [.. Self(), "train", "--distributed", .. arguments], stop.Token);
        }
        catch (InvalidOperationException ex)
        {
            throw new UsageException("--ranks", ex.Message);
        }
    }

    /// <summary>
    /// One rank of a job: agrees with the others on the options (exit 2 on every rank when any rank finds a problem), then
    /// trains. A failure of this rank alone ends the whole job at once (MPI_Abort), naming the rank.
    /// </summary>
    public static int Execute(
        Func<ParseResult, bool, (TrainOptions Options, SavedCheckpoint? ResumeFrom)> read, ParseResult result, IAnsiConsole console, StopSignals stop)
    {
        stop.Also(MpiLauncher.StopSignal);
        MpiCommunicator communicator;
        try
        {
            communicator = MpiCommunicator.Initialize();
        }
        catch (InvalidOperationException ex)
        {
            throw new UsageException("--distributed", ex.Message);
        }
        using (communicator)
        {
            // Through mpirun, whose output is a terminal to the ranks even when its own is a file: plain lines, no progress bar.
            var output = communicator.Rank == 0 ? console.Profile.Out.Writer : TextWriter.Null;
            var rankConsole = Plain(output, console.Profile.Width);
            if (AgreedOptions(read, result, communicator, output) is not var (options, resumeFrom))
            {
                return ExitCodes.BadInput;
            }
            int code;
            try
            {
                code = TrainRun.Execute(options with { Ranks = communicator.Size }, rankConsole, resumeFrom, stop, communicator);
            }
            catch (RankDisagreementException ex)
            {
                // Every rank sees the same figures and stops at the same step: rank 0 says why.
                output.WriteLine($"error: {ex.Message}");
                code = ExitCodes.Failure;
            }
            catch (Exception ex)
            {
                code = ex is UsageException ? ExitCodes.BadInput : ExitCodes.Failure;
                string message = ex is UsageException usage ? string.Join(Environment.NewLine, usage.Problems) : ex.ToString();
                Console.Error.WriteLine($"error: rank {communicator.Rank} of {communicator.Size} failed, which ends the whole job: {message}");
                Console.Error.Flush();
                communicator.Abort(code);
                return code;
            }
            // mpirun ends the job as soon as one rank exits with an error: the ranks leave together, once rank 0 has written
            // its files (a checkpoint when stopped) and its messages.
            communicator.Barrier();
            return code;
        }
    }

    /// <summary>
    /// The options every rank read, once all ranks found them valid; null when any rank found a problem, which rank 0 reports
    /// on <paramref name="output"/> (or, when rank 0 found none, the ranks that did, naming themselves, on standard error).
    /// </summary>
    private static (TrainOptions Options, SavedCheckpoint? ResumeFrom)? AgreedOptions(
        Func<ParseResult, bool, (TrainOptions Options, SavedCheckpoint? ResumeFrom)> read, ParseResult result, ICommunicator communicator,
        TextWriter output)
    {
        (TrainOptions Options, SavedCheckpoint? ResumeFrom) mine = default;
        UsageException? problem = null;
        try
        {
            mine = read(result, communicator.Rank == 0);
            if (mine.Options.MicroShards < communicator.Size)
            {
                throw new UsageException("--micro-shards", $"{mine.Options.MicroShards} micro-shards cannot keep {communicator.Size} ranks busy; give at least as many as ranks.");
            }
        }
        catch (UsageException ex)
        {
            problem = ex;
        }
        var failed = new double[communicator.Size];
        communicator.AllGather([problem is null ? 0 : 1], failed);
        if (Array.TrueForAll(failed, f => f == 0))
        {
            return mine;
        }
        foreach (string line in problem?.Problems ?? [])
        {
            if (communicator.Rank == 0)
            {
                output.WriteLine($"error: {line}");
            }
            else if (failed[0] == 0)
            {
                Console.Error.WriteLine($"error: rank {communicator.Rank}: {line}");
            }
        }
        // mpirun ends the job when the first rank exits with an error: the ranks leave together, after the messages are out.
        communicator.Barrier();
        return null;
    }

    /// <summary>The command's arguments as given, without <c>train</c>, --ranks and its value.</summary>
    private static List<string> RankArguments(ParseResult result, Option ranks)
    {
        var arguments = new List<string>();
        var tokens = result.Tokens;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == System.CommandLine.Parsing.TokenType.Command)
            {
                continue;
            }
            if (tokens[i].Type == System.CommandLine.Parsing.TokenType.Option && ranks.Name == tokens[i].Value)
            {
                i++;
                continue;
            }
            arguments.Add(tokens[i].Value);
        }
        return arguments;
    }

    /// <summary>How to start this tool again: the .NET host and this tool's assembly.</summary>
    private static string[] Self()
    {
        string? process = Environment.ProcessPath;
        string host = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return [host, typeof(RankRun).Assembly.Location];
    }

    private static IAnsiConsole Plain(TextWriter writer, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        return console;
    }
}
