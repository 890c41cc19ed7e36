using System.Diagnostics;
using GradClip.Serialization;
using GradClip.Tests.Data;

namespace GradClip.Tests.Serialization;

public sealed class RunFolderLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string LockPath => Path.Combine(_folder.Path, RunFolderLock.FileName);

    [Fact]
    public void A_second_writer_is_refused_naming_the_process_that_holds_the_folder()
    {
        using var held = RunFolderLock.Acquire(_folder.Path);

        var error = Assert.Throws<RunFolderLockedException>(() => RunFolderLock.Acquire(_folder.Path));

        Assert.Equal(Environment.ProcessId, error.ProcessId);
        Assert.Contains($"process {Environment.ProcessId}", error.Message);
        Assert.Equal(Environment.ProcessId, RunFolderLock.Holder(_folder.Path));
    }

    [Fact]
    public void A_released_lock_leaves_the_folder_free_and_no_lock_file()
    {
        RunFolderLock.Acquire(_folder.Path).Dispose();

        Assert.Null(RunFolderLock.Holder(_folder.Path));
        Assert.False(File.Exists(LockPath));
        using var again = RunFolderLock.Acquire(_folder.Path);
        Assert.Null(again.TakenOverFrom);
    }

    [Fact]
    public void The_lock_of_a_killed_process_is_free_and_taken_over_naming_that_process()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        File.WriteAllText(LockPath, "424242\n");
        // flock(1) takes the same kind of OS lock as .NET's FileShare.None, and holds it as a gradclip run would;
        // --close keeps the lock from the command it runs, so that the lock is flock's own and dies with it.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", LockPath, "sleep", "60"]) { UseShellExecute = false })!;
        var clock = Stopwatch.StartNew();
        while (RunFolderLock.Holder(_folder.Path) is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "flock did not take the lock.");
            Thread.Sleep(10);
        }
        Assert.Equal(424242, Assert.Throws<RunFolderLockedException>(() => RunFolderLock.Acquire(_folder.Path)).ProcessId);

        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();

        Assert.Null(RunFolderLock.Holder(_folder.Path));
        using var taken = RunFolderLock.Acquire(_folder.Path);
        Assert.Equal(424242, taken.TakenOverFrom);
        Assert.Equal($"{Environment.ProcessId}\n", ReadShared(LockPath));
    }

    [Fact]
    public async Task A_fifo_in_the_lock_files_place_is_refused_naming_it_instead_of_blocking()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using (var mkfifo = Process.Start("mkfifo", [LockPath]))
        {
            mkfifo.WaitForExit();
        }

        // Run on the thread pool with a deadline: an open of the FIFO would block for ever.
        var acquire = Task.Run(() => Assert.Throws<IOException>(() => RunFolderLock.Acquire(_folder.Path)));
        var holder = Task.Run(() => Assert.Throws<IOException>(() => RunFolderLock.Holder(_folder.Path)));

        var both = Task.WhenAll(acquire, holder);
        Assert.True(await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(10))) == both, "Taking or probing the lock blocked on the FIFO.");
        Assert.Contains("is a FIFO (named pipe), not a GradClip lock file", (await acquire).Message);
        Assert.Contains(LockPath, (await holder).Message);
    }

    [Fact]
    public void A_folder_without_a_lock_file_has_no_holder() =>
        Assert.Null(RunFolderLock.Holder(_folder.Path));

    /// <summary>Reads a file this process holds locked, as <c>cat</c> would: without asking for a lock.</summary>
    private static string ReadShared(string path)
    {
        using var cat = Process.Start(new ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string text = cat.StandardOutput.ReadToEnd();
        cat.WaitForExit();
        return text;
    }
}
