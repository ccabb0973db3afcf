using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Orchestrations.Training.RunSlots;

namespace Serverless.Orchestrations.FastTests.Infrastructure;

/// <summary>
/// The real <see cref="TrainingPipeline"/> and the real run-slot activities (over <see cref="ProjectRunSlots"/> on
/// in-memory tables, with the SDK's <see cref="DurableTaskClient"/>) on the SDK's in-process test host, the other
/// steps scripted by <see cref="FakeTrainingSteps"/>.
/// </summary>
internal sealed class PipelineTestHost : IAsyncDisposable
{
    /// <summary>Queued runs look at the slot again this often here (minutes in production).</summary>
    public static readonly TimeSpan SlotRecheck = TimeSpan.FromSeconds(1);

    private readonly DurableTaskTestHost _host;

    private PipelineTestHost(DurableTaskTestHost host, FakeTrainingSteps steps, ProjectRunSlots slots)
    {
        _host = host;
        Steps = steps;
        Slots = slots;
    }

    public FakeTrainingSteps Steps { get; }

    public ProjectRunSlots Slots { get; }

    public DurableTaskClient Client => _host.Client;

    public static async Task<PipelineTestHost> StartAsync(FakeTrainingSteps? steps = null, Action<DurableTaskRegistry>? more = null)
    {
        TrainingPipeline.SlotRecheckInterval = SlotRecheck;
        steps ??= new FakeTrainingSteps();
        var slots = new ProjectRunSlots(new InMemoryTableStore());
        await slots.InitializeAsync();
        var host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                registry.AddOrchestrator<TrainingPipeline>().AddActivity<AcquireRunSlot>().AddActivity<ReleaseRunSlot>();
                steps.Register(registry);
                more?.Invoke(registry);
            },
            new DurableTaskTestHostOptions
            {
                Port = FreePort(),
                ConfigureServices = services =>
                {
                    services.AddSingleton(TimeProvider.System);
                    services.AddSingleton(slots);
                    services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
                },
            });
        return new PipelineTestHost(host, steps, slots);
    }

    public Task<string> StartRunAsync(string project, string? runId = null) =>
        Client.ScheduleNewOrchestrationInstanceAsync(
            TrainingPipeline.Name,
            new TrainingRunRequest { Project = project, Source = new DatasetSource("uploads", project + "/data.csv"), CorrelationId = "fast-test" },
            new StartOrchestrationOptions(runId ?? TrainingRunIds.Prefix(project) + Guid.NewGuid().ToString("N")[..12]));

    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
    }

    /// <summary>Polls the run's report until it reaches <paramref name="outcome"/>; fails fast when the run ends otherwise.</summary>
    public async Task<RunReport> WaitForOutcomeAsync(string runId, string outcome, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var instance = await Client.GetInstanceAsync(runId, getInputsAndOutputs: true);
            var report = instance?.ReadCustomStatusAs<RunReport>();
            if (report?.Outcome == outcome)
            {
                return report;
            }

            if (instance is { IsCompleted: true })
            {
                throw new InvalidOperationException($"Run {runId} ended {instance.RuntimeStatus} ({report?.Outcome}: {report?.FailureReason}) instead of reaching {outcome}.");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Run {runId} did not reach {outcome}.");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
