using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Testing;
using Xunit;
using TaskFailedException = Microsoft.DurableTask.TaskFailedException;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>W3C trace context from the caller through the orchestration to its activities, and the task hub's metrics.</summary>
public sealed class TracingIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly ActivitySource Caller = new("Serverless.DurableTask.Tests.Caller");

    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivityFunc<int, string>("TraceEcho", (_, _) => Activity.Current?.TraceId.ToHexString() ?? "none")
        .AddActivityFunc<int, int>("TraceFail", Fail)
        .AddOrchestratorFunc<int, string[]>("Traced", async (ctx, n) =>
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<string>("TraceEcho", i)));
            try
            {
                await ctx.CallActivityAsync<int>("TraceFail", n);
            }
            catch (TaskFailedException)
            {
            }

            return ids;
        });

    private static int Fail(TaskActivityContext context, int n) => throw new InvalidOperationException($"activity failure {n}");

    [Fact]
    public async Task One_trace_runs_from_the_caller_through_the_orchestration_to_each_activity_with_metrics()
    {
        using var capture = new TelemetryCapture(DurableTaskMetrics.TraceSource, DurableTaskMetrics.MeterName, Caller.Name);
        var hub = AzuriteFixture.UniqueName("h");
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, hub, Register);
        string id;
        ActivityTraceId traceId;
        using (var caller = Caller.StartActivity("upload"))
        {
            Assert.NotNull(caller);
            traceId = caller.TraceId;
            id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Traced", 4);
        }

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.All(done.ReadOutputAs<string[]>()!, t => Assert.Equal(traceId.ToHexString(), t));

        var spans = await capture.WaitForSpansAsync(s => s.Count(x => x.TraceId == traceId && x.OperationName.StartsWith("activity:", StringComparison.Ordinal) && x.Kind == ActivityKind.Server) >= 5, Timeout);
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        Assert.Contains(trace, s => s.OperationName.StartsWith("orchestration:Traced", StringComparison.Ordinal));
        Assert.Equal(4, trace.Count(s => s.OperationName.StartsWith("activity:TraceEcho", StringComparison.Ordinal) && s.Kind == ActivityKind.Server));

        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.activity.duration" && m.Tag("activity") == "TraceEcho" && m.Tag("outcome") == "completed");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.activity.duration" && m.Tag("activity") == "TraceFail" && m.Tag("outcome") == "failed");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.orchestrations.started" && m.Tag("orchestration") == "Traced");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.orchestrations.completed" && m.Tag("orchestration") == "Traced" && m.Tag("status") == "Completed");
        Assert.Contains(capture.Measurements, m => m.Instrument == "serverless.durable.orchestration.episode.duration" && m.Tag("orchestration") == "Traced" && m.Tag("status") == "Running");

        // Gauges are read in the background on collection: collect until this hub's readings are in.
        using var wait = new CancellationTokenSource(Timeout);
        while (!(capture.Measurements.Any(m => m.Instrument == "serverless.durable.queue.depth" && m.Tag("hub") == hub && m.Tag("queue") == $"{hub}-workitems")
            && capture.Measurements.Any(m => m.Instrument == "serverless.durable.instances" && m.Tag("hub") == hub && m.Tag("status") == "Completed" && m.Value == 1)))
        {
            capture.CollectGauges();
            await Task.Delay(100, wait.Token);
        }

        Assert.Equal(3, capture.Measurements.Where(m => m.Instrument == "serverless.durable.queue.depth" && m.Tag("hub") == hub).Select(m => m.Tag("queue")).Distinct().Count());
    }

    [Fact]
    public async Task A_run_started_outside_any_trace_gets_a_trace_of_its_own_even_with_no_exporter()
    {
        await using var host = await DurableTestHost.StartAsync(azurite.ConnectionString, AzuriteFixture.UniqueName("h"), Register);
        Activity.Current = null;
        var first = await host.Client.ScheduleNewOrchestrationInstanceAsync("Traced", 2);
        var second = await host.Client.ScheduleNewOrchestrationInstanceAsync("Traced", 2);

        var traces = await Task.WhenAll(new[] { first, second }.Select(async id => (await host.Client.WaitForInstanceCompletionAsync(id, true).WaitAsync(Timeout)).ReadOutputAs<string[]>()!));

        Assert.All(traces, t => Assert.Single(t.Distinct()));
        Assert.All(traces, t => Assert.Matches("^[0-9a-f]{32}$", t[0]));
        Assert.NotEqual(traces[0][0], traces[1][0]);
    }
}
