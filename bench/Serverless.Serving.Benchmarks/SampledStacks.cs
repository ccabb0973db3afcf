using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// The busy time of a dotnet-trace thread-time trace (converted to Speedscope), by frame. The sampler records every
/// thread, so time a thread spent blocked (its native leaf under a wait: a semaphore, a monitor, epoll, a blocking read)
/// is left out; what remains is managed code running (<c>CPU_TIME</c>) and native code doing work (ONNX Runtime, socket
/// sends, spinning). Inclusive counts a frame once per sample however often it recurs.
/// </summary>
public sealed class SampledStacks
{
    private static readonly string[] Waits =
    [
        "WaitNative", "Monitor.Wait", "WaitOneNoCheck", "Interop+Sys.Read", "WaitForSocketEvents", "SocketAsyncEngine.EventLoop",
        "Thread.Sleep", "Interop+Sys.Poll", "WaitHandle.Wait", "LowLevelLifoSemaphore.WaitForSignal",
    ];

    private static readonly string[] Containers = ["Thread ", "Process64", "(Non-Activities)", "Threads", "Thread.StartCallback"];

    private readonly Dictionary<string, double> _inclusive = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _exclusive = new(StringComparer.Ordinal);

    /// <summary>Milliseconds of busy samples.</summary>
    public double BusyMs { get; private set; }

    /// <summary>Milliseconds of samples of blocked threads (left out).</summary>
    public double BlockedMs { get; private set; }

    /// <summary>Reads a Speedscope file written by <c>dotnet-trace convert --format Speedscope</c> (evented profiles, one per thread).</summary>
    public static SampledStacks Read(string speedscope)
    {
        using var stream = File.OpenRead(speedscope);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var frames = root.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => Short(f.GetProperty("name").GetString() ?? "?")).ToArray();
        var stacks = new SampledStacks();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var profile in root.GetProperty("profiles").EnumerateArray())
        {
            var stack = new List<int>();
            double? last = null;
            foreach (var e in profile.GetProperty("events").EnumerateArray())
            {
                var at = e.GetProperty("at").GetDouble();
                if (last is { } previous && at > previous && stack.Count > 1)
                {
                    stacks.Add(frames, stack, at - previous, seen);
                }

                last = at;
                if (e.GetProperty("type").GetString() == "O")
                {
                    stack.Add(e.GetProperty("frame").GetInt32());
                }
                else if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
            }
        }

        return stacks;
    }

    /// <summary>The top frames as a fixed-width table: share of busy time inclusive (or exclusive), frame.</summary>
    public string Top(int count, bool inclusive)
    {
        var md = new StringBuilder();
        var source = inclusive ? _inclusive : _exclusive;
        foreach (var (frame, ms) in source.Where(p => !Containers.Any(c => p.Key.StartsWith(c, StringComparison.Ordinal))).OrderByDescending(p => p.Value).Take(count))
        {
            md.Append(CultureInfo.InvariantCulture, $"{100 * ms / BusyMs,6:0.0}%  {frame}\n");
        }

        return md.ToString();
    }

    /// <summary>Share of busy time under the first frame whose name contains <paramref name="part"/> (0 when none).</summary>
    public double Share(string part)
    {
        var hit = _inclusive.Where(p => p.Key.Contains(part, StringComparison.Ordinal)).Select(p => p.Value).DefaultIfEmpty(0).Max();
        return BusyMs == 0 ? 0 : hit / BusyMs;
    }

    private void Add(string[] frames, List<int> stack, double ms, HashSet<string> seen)
    {
        // The leaf is the sampler's pseudo-frame (CPU_TIME or UNMANAGED_CODE_TIME); the frame under it is where the thread is.
        // Native frames without symbols ("?") are skipped to find the managed caller (epoll under the socket event loop).
        var leaf = frames[stack[^1]];
        var at = frames[stack[^2]];
        var caller = at;
        for (var i = stack.Count - 2; i > 0 && caller == "?"; i--)
        {
            caller = frames[stack[i - 1]];
        }

        if (leaf.StartsWith("UNMANAGED_CODE_TIME", StringComparison.Ordinal) && Waits.Any(w => caller.Contains(w, StringComparison.Ordinal)))
        {
            BlockedMs += ms;
            return;
        }

        BusyMs += ms;
        _exclusive[at] = _exclusive.GetValueOrDefault(at) + ms;
        seen.Clear();
        for (var i = 0; i < stack.Count - 1; i++)
        {
            var frame = frames[stack[i]];
            if (seen.Add(frame))
            {
                _inclusive[frame] = _inclusive.GetValueOrDefault(frame) + ms;
            }
        }
    }

    /// <summary><c>Module!Namespace.Type.Method(args)</c> as <c>Type.Method</c> with the namespace and arguments cut.</summary>
    private static string Short(string name)
    {
        var bang = name.IndexOf('!', StringComparison.Ordinal);
        var text = bang >= 0 ? name[(bang + 1)..] : name;
        var paren = text.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            text = text[..paren];
        }

        var generic = text.IndexOf('`', StringComparison.Ordinal);
        var head = generic > 0 ? text[..generic] : text;
        var dots = head.Split('.');
        var kept = dots.Length > 2 ? string.Join('.', dots[^2..]) + (generic > 0 ? text[generic..] : string.Empty) : text;
        return kept.Length > 140 ? kept[..140] : kept;
    }
}
