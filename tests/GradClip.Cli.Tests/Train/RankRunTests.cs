using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace GradClip.Cli.Tests.Train;

/// <summary>
/// Data-parallel training through Open MPI: each test starts <c>gradclip train --ranks N</c> or the user's own <c>mpirun</c>
/// as a child process (MPI is initialized once per process) and reads what it wrote. Small runs: a few epochs of the
/// built-in data.
/// </summary>
public class RankRunTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "GradClip.Cli.dll");
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-ranks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out(string name) => Path.Combine(_folder, name);

    private static void AssertSameBytes(string expectedFolder, string actualFolder)
    {
        foreach (string file in new[] { "metrics.jsonl", "steps.jsonl", "model.safetensors" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expectedFolder, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualFolder, file))),
                $"{file} differs between {expectedFolder} and {actualFolder}.");
        }
    }

    [Fact]
    public void One_two_and_four_ranks_write_byte_identical_metrics_and_model_with_an_adaptive_clipper()
    {
        string[] run = ["train", "--epochs", "2", "--clip", "autoclip", "--micro-shards", "4"];
        var (code, output) = CliRunner.Run([.. run, "--ranks", "1", "--out", Out("one")]);
        Assert.True(code == 0, output);

        foreach (int ranks in new[] { 2, 4 })
        {
            var (rankCode, rankOutput) = Launch([.. run, "--ranks", $"{ranks}", "--out", Out($"r{ranks}")]);
            Assert.True(rankCode == 0, rankOutput);
            Assert.Contains($"Data-parallel on {ranks} ranks, 4 micro-shards per batch", rankOutput);
            AssertSameBytes(Out("one"), Out($"r{ranks}"));
            Assert.Contains($"\"ranks\":\"{ranks}\"", File.ReadAllText(Path.Combine(Out($"r{ranks}"), "summary.json")));
        }
        Assert.Contains("\"clipped\":true", File.ReadAllText(Path.Combine(Out("one"), "steps.jsonl")));
    }

    [Fact]
    public void A_run_stopped_by_SIGTERM_on_two_ranks_checkpoints_once_and_resumes_on_one_to_the_bytes_of_an_unstopped_run()
    {
        // Clipping by norm at 0.2 fires on most steps of the built-in data.
        string[] run = ["train", "--epochs", "20", "--batch-size", "100", "--max-norm", "0.2", "--micro-shards", "4", "--no-plots"];
        var output = new StringBuilder();
        using var launcher = Start("dotnet", [Cli, .. run, "--ranks", "2", "--out", Out("stopped")], output);
        WaitFor(() => Regex.IsMatch(Text(output), "Epoch +1/"), launcher, output, "the first epoch");
        SignalledRun.Send(launcher, "TERM");
        Assert.True(launcher.WaitForExit(Patience), $"The job did not stop:\n{Text(output)}");
        launcher.WaitForExit();

        Assert.True(launcher.ExitCode == 130, Text(output));
        Assert.Contains("Interrupted by SIGUSR1 (a stop forwarded by mpirun)", Text(output));
        Assert.Single(Directory.GetDirectories(Path.Combine(Out("stopped"), "checkpoint")));
        var (resumed, resumedOutput) = CliRunner.Run("train", "--resume", Out("stopped"), "--ranks", "1");
        Assert.True(resumed == 0, resumedOutput);
        var (whole, wholeOutput) = CliRunner.Run([.. run, "--ranks", "1", "--out", Out("whole")]);
        Assert.True(whole == 0, wholeOutput);
        AssertSameBytes(Out("whole"), Out("stopped"));
        Assert.Contains("\"clipped\":true", File.ReadAllText(Path.Combine(Out("whole"), "steps.jsonl")));
    }

    [Theory]
    [InlineData("--micro-shards 4", "--micro-shards: applies to data-parallel training; add --ranks N")]
    [InlineData("--ranks 0", "--ranks: must be from 1 to 256, but was 0.")]
    [InlineData("--ranks 2 --distributed", "--ranks: starts its own ranks; --distributed is for ranks that your own mpirun starts.")]
    [InlineData("--ranks 4 --micro-shards 2", "--micro-shards: must be at least 1 and at least --ranks (4)")]
    [InlineData("--ranks 2 --dropout 0.1", "--dropout: data-parallel training does not support dropout")]
    public void Data_parallel_options_that_cannot_work_exit_2_naming_the_option_and_write_nothing(string options, string message)
    {
        var (code, output) = CliRunner.Run(["train", .. options.Split(' '), "--out", Out("refused")]);

        Assert.Equal(2, code);
        Assert.Contains($"error: {message}", output);
        Assert.False(Directory.Exists(Out("refused")));
    }

    [Fact]
    public void A_rank_that_fails_alone_ends_the_job_at_once_naming_itself()
    {
        string broken = Out("broken.csv");
        File.WriteAllText(broken, "a,b,y\n1,2,x\n");
        var clock = Stopwatch.StartNew();

        var (code, output) = Mpirun(
            ["-np", "1", "dotnet", Cli, "train", "--distributed", "--epochs", "50", "--out", Out("run")],
            ["-np", "1", "dotnet", Cli, "train", "--distributed", "--epochs", "50", "--out", Out("run"), "--data", broken]);

        Assert.NotEqual(0, code);
        Assert.Contains("error: rank 1 of 2 failed, which ends the whole job", output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"The job took {clock.Elapsed} to end.");
    }

    [Fact]
    public void A_rank_killed_mid_run_ends_the_job_within_seconds_naming_it()
    {
        var output = new StringBuilder();
        using var launcher = Start("dotnet", [Cli, "train", "--epochs", "500", "--ranks", "2", "--no-plots", "--out", Out("killed")], output);
        WaitFor(() => Regex.IsMatch(Text(output), "Epoch +1/"), launcher, output, "the first epoch");
        int mpirun = Children(launcher.Id).Single();
        int rank1 = Children(mpirun).Single(pid => File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains("OMPI_COMM_WORLD_RANK=1"));
        var clock = Stopwatch.StartNew();
        using (var victim = Process.GetProcessById(rank1))
        {
            victim.Kill();
        }

        Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(30)), $"The job did not end within 30 s of rank 1's death:\n{Text(output)}");
        launcher.WaitForExit();
        Assert.NotEqual(0, launcher.ExitCode);
        Assert.Contains("process rank 1", Text(output));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Ranks_whose_CPUs_compute_other_norms_stop_at_the_first_step_naming_the_rank()
    {
        string[] rank = ["dotnet", Cli, "train", "--distributed", "--epochs", "1", "--out", Out("mixed")];

        var (code, output) = Mpirun(["-np", "1", .. rank], ["-np", "1", "-x", "DOTNET_EnableAVX2=0", .. rank]);

        Assert.Equal(1, code);
        Assert.Contains("error: The ranks disagree at step 1: rank 0 computed the norm", output);
        Assert.Contains("Rank 1 likely run on CPUs with other vector widths", output);
    }

    [Fact]
    public void Two_hosts_made_of_network_namespaces_train_over_TCP_to_the_bytes_of_one_rank()
    {
        Assert.True(Environment.UserName == "root", "Making network namespaces (ip netns) needs root, as CI runs.");
        var (code, output) = CliRunner.Run("train", "--epochs", "1", "--micro-shards", "4", "--ranks", "1", "--out", Out("one"));
        Assert.True(code == 0, output);
        using var hosts = new NamespaceHosts(_folder);

        var (jobCode, jobOutput) = hosts.Mpirun(["dotnet", Cli, "train", "--distributed", "--epochs", "1", "--micro-shards", "4", "--out", Out("two-hosts")]);

        Assert.True(jobCode == 0, jobOutput);
        // Rank 1 ran on the second host, reached over the veth pair only.
        Assert.Matches(@"Data for node: 10\.231\.0\.2\s+Num slots: 1.*\n\s*Process OMPI jobid: \S+ App: 0 Process rank: 1", jobOutput);
        AssertSameBytes(Out("one"), Out("two-hosts"));
    }

    /// <summary>
    /// Two hosts on this machine: network namespaces joined by a veth pair, with addresses that exist only inside them, each
    /// with its own host name; mpirun reaches the second through a small launcher script instead of ssh.
    /// </summary>
    private sealed class NamespaceHosts : IDisposable
    {
        private readonly string _prefix = $"gc{Environment.ProcessId % 100000}";
        private readonly string _agent;

        public NamespaceHosts(string folder)
        {
            _agent = Path.Combine(folder, "netns-agent.sh");
            File.WriteAllText(_agent, $$"""
                #!/bin/sh
                # plm_rsh_agent: "<agent> [options] <host> <command>" runs the command in that host's namespace, under its host name.
                while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do shift; done
                host=$1; shift
                case $host in
                  10.231.0.1) ns={{_prefix}}-a ;;
                  10.231.0.2) ns={{_prefix}}-b ;;
                  *) echo "unknown host $host" >&2; exit 1 ;;
                esac
                exec ip netns exec "$ns" unshare --uts sh -c "hostname $ns; $*"
                """);
            Run("chmod", "+x", _agent);
            Ip("netns", "add", $"{_prefix}-a");
            Ip("netns", "add", $"{_prefix}-b");
            Ip("link", "add", $"{_prefix}-va", "type", "veth", "peer", "name", $"{_prefix}-vb");
            foreach (var (side, address) in new[] { ("a", "10.231.0.1/24"), ("b", "10.231.0.2/24") })
            {
                Ip("link", "set", $"{_prefix}-v{side}", "netns", $"{_prefix}-{side}");
                Ip("-n", $"{_prefix}-{side}", "addr", "add", address, "dev", $"{_prefix}-v{side}");
                Ip("-n", $"{_prefix}-{side}", "link", "set", $"{_prefix}-v{side}", "up");
                Ip("-n", $"{_prefix}-{side}", "link", "set", "lo", "up");
            }
        }

        /// <summary>Runs mpirun on the first host with one rank on each, TCP only, on the namespaces' addresses only.</summary>
        public (int ExitCode, string Output) Mpirun(string[] program)
        {
            var output = new StringBuilder();
            string[] mpirun =
            [
                "mpirun", "--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "--display-map", "--host", "10.231.0.1,10.231.0.2", "-np", "2",
                "--mca", "plm_rsh_agent", _agent, "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "10.231.0.0/24",
                "--mca", "oob_tcp_if_include", "10.231.0.0/24", .. program,
            ];
            using var process = Start("sh", [_agent, "10.231.0.1", .. mpirun], output);
            return Finish(process, output);
        }

        public void Dispose()
        {
            // Removing a namespace removes the veth end inside it, and so the pair.
            Ip("netns", "del", $"{_prefix}-a");
            Ip("netns", "del", $"{_prefix}-b");
        }

        private static void Ip(params string[] arguments) => Run("ip", arguments);

        private static void Run(string program, params string[] arguments)
        {
            var output = new StringBuilder();
            using var process = Start(program, arguments, output);
            var (code, text) = Finish(process, output);
            Assert.True(code == 0, $"{program} {string.Join(' ', arguments)} failed: {text}");
        }
    }

    /// <summary>Runs gradclip (its arguments after the tool) and returns its exit code and output.</summary>
    private static (int ExitCode, string Output) Launch(string[] arguments)
    {
        var output = new StringBuilder();
        using var process = Start("dotnet", [Cli, .. arguments], output);
        return Finish(process, output);
    }

    /// <summary>Runs the user's own mpirun with one application context per <paramref name="contexts"/>, as root may.</summary>
    private static (int ExitCode, string Output) Mpirun(params string[][] contexts)
    {
        var output = new StringBuilder();
        var arguments = new List<string> { "--oversubscribe", "--bind-to", "none", "--allow-run-as-root" };
        for (int i = 0; i < contexts.Length; i++)
        {
            arguments.AddRange(i == 0 ? contexts[i] : [":", .. contexts[i]]);
        }
        using var process = Start("mpirun", [.. arguments], output);
        return Finish(process, output);
    }

    private static (int ExitCode, string Output) Finish(Process process, StringBuilder output)
    {
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Not done within {Patience}:\n{Text(output)}");
        }
        process.WaitForExit();
        return (process.ExitCode, Text(output));
    }

    private static void WaitFor(Func<bool> condition, Process process, StringBuilder output, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(process.HasExited, $"The run ended before {what}:\n{Text(output)}");
            Assert.True(clock.Elapsed < Patience, $"No {what} within {Patience}:\n{Text(output)}");
            Thread.Sleep(20);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static int[] Children(int pid) =>
        [.. Directory.GetDirectories($"/proc/{pid}/task").SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse)];

    private static Process Start(string program, string[] arguments, StringBuilder output)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
