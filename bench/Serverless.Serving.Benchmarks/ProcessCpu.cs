using System.Globalization;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// CPU seconds (user + system) a process has used, from <c>/proc/{pid}/stat</c> (Linux), so a profile can say what the
/// host and the benchmark's own Azurite spent during a wrk window.
/// </summary>
public static class ProcessCpu
{
    /// <summary>Clock ticks per second of <c>utime</c>/<c>stime</c> (<c>getconf CLK_TCK</c>; 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The CPU seconds <paramref name="processId"/> has used so far, or <c>null</c> when it cannot be read.</summary>
    public static double? Seconds(int? processId)
    {
        if (processId is not { } pid || Stat(pid) is not { } fields)
        {
            return null;
        }

        // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>
    /// The Azurite this benchmark started: its <c>node</c> child process (not another session's Azurite), or <c>null</c>.
    /// </summary>
    public static int? AzuriteOfThisProcess()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } fields
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
                && parent == Environment.ProcessId
                && Command(pid) == "node")
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>The fields of <c>/proc/{pid}/stat</c> after the command name (which may hold spaces).</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
