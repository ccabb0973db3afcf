using System.Collections.Concurrent;

namespace Serverless.Functions.Tests;

/// <summary>What test functions record, shared by every host of one test.</summary>
public sealed class InvocationLog
{
    private readonly ConcurrentQueue<(string Function, string Detail)> _entries = new();

    public void Add(string function, string detail) => _entries.Enqueue((function, detail));

    public IReadOnlyList<string> Of(string function) => _entries.Where(e => e.Function == function).Select(e => e.Detail).ToList();

    public int Count(string function) => _entries.Count(e => e.Function == function);
}

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    public static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }
}
