using System.Diagnostics;
using System.Text.Json;
using Serverless.Durable.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Durable.Tests;

/// <summary>W3C trace context and metrics over the real worker on Azurite, observed with in-memory listeners.</summary>
public sealed class TracingIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly ActivitySource Caller = new("Serverless.Durable.Tests.Caller");

    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivityFunc<int, string>("TraceEcho", (context, _) => context.TraceId ?? "none")
        .AddActivityFunc<int, int>("TraceFail", (_, n) => Fail(n))
        .AddOrchestratorFunc<int, string>("TracedChild", async (ctx, n) => await ctx.CallActivityAsync<string>("TraceEcho", n))
        .AddOrchestratorFunc<int, string[]>("Traced", async (ctx, n) =>
        {
            var echoes = await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<string>("TraceEcho", i)));
            var child = await ctx.CallSubOrchestratorAsync<string>("TracedChild", n);
            try
            {
                await ctx.CallActivityAsync<int>("TraceFail", n);
            }
            catch (TaskFailedException)
            {
            }

            return [.. echoes, child];
        });

    private static int Fail(int n) => throw new InvalidOperationException($"activity failure {n}");

    [Fact]
    public async Task One_trace_runs_from_the_caller_through_orchestration_sub_orchestration_and_activities_on_two_workers()
    {
        using var capture = new TelemetryCapture(DurableTelemetry.Name, Caller.Name);
        var hub = AzuriteFixture.UniqueName("h");
        await using var one = await DurableTestHost.StartAsync(azurite.Storage, hub, Register, "worker-one");
        await using var two = await DurableTestHost.StartAsync(azurite.Storage, hub, Register, "worker-two");

        string id;
        ActivityContext caller;
        using (var span = Caller.StartActivity("upload", ActivityKind.Producer)!)
        {
            span.TraceStateString = "mlops=1";
            caller = span.Context;
            id = await one.Client.ScheduleNewOrchestrationInstanceAsync("Traced", 6);
        }

        var done = await one.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true).WaitAsync(Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        // Activities see the run's trace id in their context whether or not spans are recorded.
        Assert.All(done.ReadOutputAs<string[]>()!, traceId => Assert.Equal(caller.TraceId.ToHexString(), traceId));

        var spans = await capture.WaitForSpansAsync(s => s.Count(x => x.TraceId == caller.TraceId && x.OperationName.StartsWith("orchestration:", StringComparison.Ordinal)) >= 2, Timeout);
        var trace = spans.Where(s => s.TraceId == caller.TraceId).ToList();
        var orchestration = Assert.Single(trace, s => s.OperationName == "orchestration:Traced"); // once, not once per episode
        Assert.Equal(caller.SpanId, orchestration.ParentSpanId);
        Assert.Equal("mlops=1", orchestration.TraceStateString);
        Assert.Equal(id, orchestration.GetTagItem(DurableTelemetry.Tags.InstanceId));
        Assert.Equal(ActivityStatusCode.Unset, orchestration.Status);

        var child = Assert.Single(trace, s => s.OperationName == "orchestration:TracedChild");
        Assert.Equal(orchestration.SpanId, child.ParentSpanId);

        var echoes = trace.Where(s => s.OperationName == "activity:TraceEcho").ToList();
        Assert.Equal(7, echoes.Count);
        Assert.Equal(6, echoes.Count(s => s.ParentSpanId == orchestration.SpanId && (string?)s.GetTagItem(DurableTelemetry.Tags.InstanceId) == id));
        Assert.Single(echoes, s => s.ParentSpanId == child.SpanId);
        Assert.All(echoes, s => Assert.Equal(ActivityKind.Server, s.Kind));

        var failed = Assert.Single(trace, s => s.OperationName == "activity:TraceFail");
        Assert.Equal(orchestration.SpanId, failed.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Contains("activity failure 6", failed.StatusDescription, StringComparison.Ordinal);

        // The orchestration span covers the whole run, from its first episode to its completion.
        var activities = echoes.Append(failed).ToList();
        Assert.True(orchestration.StartTimeUtc <= activities.Min(s => s.StartTimeUtc), "the orchestration span starts after its first activity");
        Assert.True(orchestration.StartTimeUtc + orchestration.Duration >= activities.Max(s => s.StartTimeUtc + s.Duration), "the orchestration span ends before its last activity");

        // Metrics, by name and outcome/status.
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.activity.duration" && m.Tag("activity") == "TraceEcho" && m.Tag("outcome") == "completed");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.activity.duration" && m.Tag("activity") == "TraceFail" && m.Tag("outcome") == "failed");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.orchestrations.started" && m.Tag("orchestration") == "Traced");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.orchestrations.completed" && m.Tag("orchestration") == "Traced" && m.Tag("status") == "Completed");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.orchestrations.completed" && m.Tag("orchestration") == "TracedChild" && m.Tag("status") == "Completed");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.orchestration.episode.duration" && m.Tag("orchestration") == "Traced" && m.Tag("status") == "Running");

        // Gauges are read in the background on collection: collect until this hub's readings are in.
        using var wait = new CancellationTokenSource(Timeout);
        while (!(capture.Measurements.Any(m => m.Instrument == "serverless.durable.queue.depth" && m.Tag("hub") == hub && m.Tag("queue") == $"{hub.ToLowerInvariant()}-workitems")
            && capture.Measurements.Any(m => m.Instrument == "serverless.durable.instances" && m.Tag("hub") == hub && m.Tag("status") == "Completed" && m.Value == 2)))
        {
            capture.CollectGauges();
            await Task.Delay(100, wait.Token);
        }

        Assert.Equal(5, capture.Measurements.Where(m => m.Instrument == "serverless.durable.queue.depth" && m.Tag("hub") == hub).Select(m => m.Tag("queue")).Distinct().Count());
    }

    [Fact]
    public async Task A_run_started_outside_any_trace_gets_its_own_root_and_untraced_messages_stay_readable()
    {
        // A message written before tracing existed has no trace fields; it still reads.
        var old = JsonSerializer.Deserialize<TaskMessage>("""{"instanceId":"i","executionId":"e","event":{"type":"TaskScheduled","eventId":3,"name":"A"}}""", DurableJson.Options)!;
        Assert.Null(old.Event!.TraceParent);

        using var capture = new TelemetryCapture(DurableTelemetry.Name);
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.Storage, hub, Register);
        Activity.Current = null;
        var first = await host.Client.ScheduleNewOrchestrationInstanceAsync("TracedChild", 1);
        var second = await host.Client.ScheduleNewOrchestrationInstanceAsync("TracedChild", 2);
        var history = await host.Client.GetHistoryAsync(first);
        Assert.Null(history.Count > 0 ? history[0].TraceParent : null);
        var outputs = await Task.WhenAll(new[] { first, second }.Select(async id => (await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true).WaitAsync(Timeout)).ReadOutputAs<string>()));

        var spans = await capture.WaitForSpansAsync(s => s.Count(x => x.OperationName == "orchestration:TracedChild" && x.GetTagItem(DurableTelemetry.Tags.InstanceId) is string i && (i == first || i == second)) == 2, Timeout);
        var roots = spans.Where(x => x.OperationName == "orchestration:TracedChild" && x.GetTagItem(DurableTelemetry.Tags.InstanceId) is string i && (i == first || i == second)).ToList();
        Assert.All(roots, r => Assert.Equal(default, r.ParentSpanId));
        Assert.NotEqual(roots[0].TraceId, roots[1].TraceId);
        Assert.Equal(roots.Select(r => r.TraceId.ToHexString()).Order(), outputs.Order());
        foreach (var root in roots)
        {
            var activity = Assert.Single(spans, s => s.OperationName == "activity:TraceEcho" && s.TraceId == root.TraceId);
            Assert.Equal(root.SpanId, activity.ParentSpanId);
        }
    }
}
