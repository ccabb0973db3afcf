using System.Globalization;
using System.Text;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// One product configuration under wrk: its throughput, the CPU seconds the host and the benchmark's Azurite used in that
/// run, allocations per request, GCs by generation and time paused for them, and its sampled stacks (busy time by frame).
/// </summary>
public sealed record LoadProfile(string Name, WrkResult Run, CpuUse Cpu, double BytesPerRequest, RuntimeCounters Gc, SampledStacks Stacks);

/// <summary>CPU seconds used by the host and by Azurite (<c>null</c>: not found) over a wrk run of <paramref name="Seconds"/>.</summary>
public sealed record CpuUse(double Seconds, double Host, double? Azurite)
{
    /// <summary>Azurite's share of the CPU the host and Azurite used together.</summary>
    public double? AzuriteShare => Azurite is { } a && a + Host > 0 ? a / (a + Host) : null;
}

/// <summary>
/// <c>--profile-only</c>: the product (local host process, log on, then log off) and the limit endpoint back to back under
/// the same wrk load, the limit endpoint measured before and after the product so the ratios compare like with like on a
/// shared machine; for each product configuration a plain run with dotnet-counters (allocated bytes per request) and a
/// run under dotnet-trace (sampled thread stacks, top inclusive and exclusive frames); then the in-process stage
/// profile (<see cref="InProcessStages"/>). Prints markdown; writes nothing to the docs.
/// </summary>
public static class ProfileRun
{
    /// <summary>Where a request's time goes, from the server to ONNX Runtime, and the work beside the requests.</summary>
    private static readonly (string Label, string Frame)[] Stages =
    [
        ("Kestrel request loop (`HttpProtocol.ProcessRequests`)", "HttpProtocol+<ProcessRequests>"),
        ("ASP.NET Core routing, middleware and the function endpoint (`EndpointRoutingMiddleware.Invoke`)", "EndpointRoutingMiddleware.Invoke"),
        ("Function invocation: context, worker middleware, binding (`FunctionInvoker.InvokeAsync`)", "FunctionInvoker.InvokeAsync"),
        ("Key check (`FunctionKeyAuthorizer.CheckAsync`)", "FunctionKeyAuthorizer.CheckAsync"),
        ("Predict endpoint (`ServingEndpoints.PredictAsync`)", "ServingEndpoints.PredictAsync"),
        ("Body parsing (`PredictionRequestReader.Read`)", "PredictionRequestReader.Read"),
        ("ONNX Runtime (`OnnxModel.Score`)", "OnnxModel.Score"),
        ("Response JSON (`JsonResponses.WriteAsync`)", "JsonResponses.WriteAsync"),
        ("Socket sends (`Socket.SendAsync`)", "Socket.SendAsync"),
        ("Prediction log on the request (`PredictionLog.TryRecord`)", "PredictionLog.TryRecord"),
        ("Prediction log writer (`PredictionLog.ExecuteAsync`)", "PredictionLog+<ExecuteAsync>"),
        ("Log append to storage (`PredictionLogStore.WriteAsync`)", "PredictionLogStore+<WriteAsync>"),
        ("Thread pool spinning for work (`LowLevelSpinWaiter.Wait`)", "LowLevelSpinWaiter.Wait"),
        ("Threads stopped for a GC (`Thread.PollGC`)", "PollGC"),
    ];

    public static async Task RunAsync(
        Func<IReadOnlyDictionary<string, string>?, string?, Task<ProductProcess>> startProduct, Uri predictPath, byte[] onnx, BenchmarkDataset data, string body, string masterKey, TimeSpan duration, string? beforeHost = null)
    {
        ArgumentNullException.ThrowIfNull(startProduct);
        ArgumentNullException.ThrowIfNull(data);
        var logOff = new Dictionary<string, string> { ["Serving__PredictionLog__SamplingRate"] = "0" };
        var before = await LimitAsync(onnx, data, body, duration);
        var profiles = new List<LoadProfile>();
        if (beforeHost is not null)
        {
            // SERVING_BENCH_BEFORE_HOST: another build of the local host profiled in the same run, for before/after figures.
            profiles.Add(await ProfileAsync("Before: product predict, prediction log on", null, beforeHost));
            profiles.Add(await ProfileAsync("Before: product predict, prediction log off", logOff, beforeHost));
        }

        profiles.Add(await ProfileAsync("Product predict, prediction log on", null, null));
        profiles.Add(await ProfileAsync("Product predict, prediction log off", logOff, null));
        if (Environment.GetEnvironmentVariable("SERVING_BENCH_GC_VARIANTS") == "1")
        {
            // GC settings an operator could choose (the product runs with the defaults: workstation, concurrent).
            profiles.Add(await ProfileAsync("Product predict, log on, server GC", new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" }, null));
            profiles.Add(await ProfileAsync("Product predict, log on, concurrent GC off", new Dictionary<string, string> { ["DOTNET_gcConcurrent"] = "0" }, null));
        }
        var after = await LimitAsync(onnx, data, body, duration);
        Console.WriteLine(ToMarkdown(before, after, profiles));
        Console.WriteLine("In-process stage profile:");
        await InProcessStages.RunAsync(data, body);

        async Task<LoadProfile> ProfileAsync(string name, IReadOnlyDictionary<string, string>? settings, string? host)
        {
            var product = await startProduct(settings, host);
            await using (product)
            {
                var url = new Uri(product.BaseAddress, predictPath);
                await WrkRun.RunAsync("warm-up", url, body, "application/json", masterKey, TimeSpan.FromSeconds(3));
                // Three runs: plain (the throughput reported), under dotnet-counters (allocations), under dotnet-trace (stacks).
                // CPU seconds of the host and of this benchmark's Azurite (the node process it started) over the plain run.
                var azurite = ProcessCpu.AzuriteOfThisProcess();
                var (hostBefore, azuriteBefore) = (ProcessCpu.Seconds(product.ProcessId), ProcessCpu.Seconds(azurite));
                var run = Report(await WrkRun.RunAsync(name, url, body, "application/json", masterKey, duration));
                var (hostAfter, azuriteAfter) = (ProcessCpu.Seconds(product.ProcessId), ProcessCpu.Seconds(azurite));
                var cpu = new CpuUse(duration.TotalSeconds, (hostAfter - hostBefore) ?? 0, azuriteAfter - azuriteBefore);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CPU over {cpu.Seconds:0} s: host {cpu.Host:0.0} s, Azurite (pid {azurite}) {cpu.Azurite:0.0} s"));
                var counters = DiagnosticTools.RuntimeCountersAsync(product.ProcessId, duration + TimeSpan.FromSeconds(2));
                await Task.Delay(TimeSpan.FromSeconds(1)); // the tool attached before the load
                var counted = await WrkRun.RunAsync(name + " (counted)", url, body, "application/json", masterKey, duration);
                var gc = await counters;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  GCs per second {gc.PerSecondByGeneration()}; paused {gc.PauseShare:P1}"));
                var trace = Path.Combine(Path.GetTempPath(), $"serving-profile-{Guid.NewGuid():N}.nettrace");
                string? speedscope = null;
                try
                {
                    var tracing = DiagnosticTools.TraceAsync(product.ProcessId, duration, trace);
                    var traced = await WrkRun.RunAsync(name + " (traced)", url, body, "application/json", masterKey, duration);
                    await tracing;
                    speedscope = await DiagnosticTools.ToSpeedscopeAsync(trace);
                    var stacks = SampledStacks.Read(speedscope);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  under dotnet-counters {counted.RequestsPerSecond:0} req/s, under dotnet-trace {traced.RequestsPerSecond:0} req/s; trace {trace}"));
                    return new LoadProfile(name, run, cpu, gc.BytesPerSecond * duration.TotalSeconds / counted.Requests, gc, stacks);
                }
                finally
                {
                    if (Environment.GetEnvironmentVariable("SERVING_BENCH_KEEP_TRACE") != "1")
                    {
                        File.Delete(trace);
                        if (speedscope is not null)
                        {
                            File.Delete(speedscope);
                        }
                    }
                }
            }
        }
    }

    public static string ToMarkdown(WrkResult limitBefore, WrkResult limitAfter, IReadOnlyList<LoadProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(limitBefore);
        ArgumentNullException.ThrowIfNull(limitAfter);
        ArgumentNullException.ThrowIfNull(profiles);
        var limit = (limitBefore.RequestsPerSecond + limitAfter.RequestsPerSecond) / 2;
        var md = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Load average {WrkRun.LoadAverage()} at the end, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, shared machine; limit endpoint {limitBefore.RequestsPerSecond:0} req/s before and {limitAfter.RequestsPerSecond:0} after the product (mean {limit:0}).\n\n");
        md.Append("| Endpoint | req/s | of the limit endpoint | p50 ms | p99 ms | host CPU µs per request | Azurite CPU µs per request | Azurite share of host + Azurite CPU | allocated bytes per request | GCs per second by generation | time paused for GCs |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        foreach (var p in profiles)
        {
            var requests = p.Run.RequestsPerSecond * p.Cpu.Seconds;
            var azurite = p.Cpu.Azurite is { } a ? (a * 1e6 / requests).ToString("0", CultureInfo.InvariantCulture) : "?";
            var share = p.Cpu.AzuriteShare is { } s ? s.ToString("P0", CultureInfo.InvariantCulture) : "?";
            md.Append(CultureInfo.InvariantCulture, $"| {p.Name} | {p.Run.RequestsPerSecond:0} | {p.Run.RequestsPerSecond / limit:P0} | {p.Run.P50Ms:0.00} | {p.Run.P99Ms:0.00} | {p.Cpu.Host * 1e6 / requests:0} | {azurite} | {share} | {p.BytesPerRequest:0} | {p.Gc.PerSecondByGeneration()} | {p.Gc.PauseShare:P1} |\n");
        }

        md.Append("\nShare of the product's busy time (sampled thread stacks, blocked threads left out) under:\n\n| Frame | " + string.Join(" | ", profiles.Select(p => p.Name)) + " |\n|---|" + string.Concat(profiles.Select(_ => "---:|")) + "\n");
        foreach (var (label, frame) in Stages)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", profiles.Select(p => p.Stacks.Share(frame).ToString("P1", CultureInfo.InvariantCulture)))} |\n");
        }

        foreach (var p in profiles)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n{p.Name}: top frames by inclusive busy time ({p.Stacks.BusyMs / 1000:0.0} s busy, {p.Stacks.BlockedMs / 1000:0.0} s blocked left out)\n\n```\n{p.Stacks.Top(40, inclusive: true).TrimEnd()}\n```\n\n{p.Name}: top frames by exclusive busy time\n\n```\n{p.Stacks.Top(20, inclusive: false).TrimEnd()}\n```\n");
        }

        return md.ToString();
    }

    private static async Task<WrkResult> LimitAsync(byte[] onnx, BenchmarkDataset data, string body, TimeSpan duration)
    {
        await using var limit = await LimitEndpoint.StartAsync(onnx, data.Features);
        var url = new Uri(limit.BaseAddress, "predict");
        await WrkRun.RunAsync("warm-up", url, body, "application/json", null, TimeSpan.FromSeconds(3));
        return Report(await WrkRun.RunAsync(LimitEndpoint.Description, url, body, "application/json", null, duration));
    }

    private static WrkResult Report(WrkResult r)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name}: {r.RequestsPerSecond:0} req/s, p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms, {r.Requests} requests, {r.Errors} errors, load {r.LoadAverage}"));
        return r;
    }
}
