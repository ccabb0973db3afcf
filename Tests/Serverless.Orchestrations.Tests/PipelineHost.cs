using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.Domain.Projects;
using Serverless.DurableTask.AzureStorage;
using Serverless.Orchestrations.Training;
using Serverless.Registry;
using Serverless.Storage;
using Serverless.Storage.Azure;
using Serverless.Testing;

namespace Serverless.Orchestrations.Tests;

/// <summary>
/// The training pipeline on the Durable Task Framework's Azure Storage provider over Azurite, with a task hub, registry tables and
/// containers of its own: everything the host would run, without HTTP.
/// </summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineHost(IHost host, RegistryTables tables, string uploads)
    {
        _host = host;
        Tables = tables;
        UploadsContainer = uploads;
    }

    public RegistryTables Tables { get; }

    public string UploadsContainer { get; }

    public IServiceProvider Services => _host.Services;

    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    public ModelRegistry Registry => Services.GetRequiredService<ModelRegistry>();

    public DatasetCatalog Datasets => Services.GetRequiredService<DatasetCatalog>();

    public IBlobStore Blobs => Services.GetRequiredService<IBlobStore>();

    public static async Task<PipelineHost> StartAsync(AzuriteFixture azurite)
    {
        var tables = new RegistryTables
        {
            Projects = AzuriteFixture.UniqueName("projects"),
            DatasetVersions = AzuriteFixture.UniqueName("datasets"),
            Models = AzuriteFixture.UniqueName("models"),
            ArtifactsContainer = AzuriteFixture.UniqueName("artifacts"),
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = azurite.ConnectionString });
        builder.Services.AddSingleton(tables);
        builder.Services.AddSingleton(sp => new ProjectCatalog(sp.GetRequiredService<ITableStore>(), tables));
        builder.Services.AddSingleton(sp => new DatasetCatalog(sp.GetRequiredService<ITableStore>(), tables));
        builder.Services.AddSingleton(sp => new ModelRegistry(sp.GetRequiredService<ITableStore>(), sp.GetRequiredService<IBlobStore>(), tables));
        builder.Services.AddTrainingPipeline();
        builder.Services.AddDurableTaskAzureStorage(options =>
        {
            options.HubName = AzuriteFixture.UniqueName("hub");
            options.StorageProvider.PartitionCount = 2;
            options.StorageProvider.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200);
            options.MaxConcurrentActivityFunctions = 4;
        });
        builder.Services.AddDurableTaskWorker(b => b.AddTasks(registry => registry.AddTrainingPipeline()).UseAzureStorage());
        builder.Services.AddDurableTaskClient(b => b.UseAzureStorage());
        var host = builder.Build();
        await host.Services.GetRequiredService<ProjectCatalog>().InitializeAsync();
        await host.Services.GetRequiredService<DatasetCatalog>().InitializeAsync();
        await host.Services.GetRequiredService<ModelRegistry>().InitializeAsync();
        await host.StartAsync();
        var uploads = AzuriteFixture.UniqueName("uploads");
        await host.Services.GetRequiredService<IBlobStore>().CreateContainerIfNotExistsAsync(uploads);
        return new PipelineHost(host, tables, uploads);
    }

    public Task PutSpecAsync(string project, string json) =>
        Services.GetRequiredService<ProjectCatalog>().PutAsync(project, ProjectSpecSerializer.Parse(json), "test", DateTimeOffset.UtcNow);

    public async Task<DatasetSource> UploadAsync(string project, string fileName, byte[] content)
    {
        var name = $"{project}/{fileName}";
        await Blobs.UploadBytesAsync(UploadsContainer, name, content);
        return new DatasetSource(UploadsContainer, name);
    }

    public async Task<string> StartRunAsync(string project, DatasetSource source, string? runId = null)
    {
        runId ??= TrainingRunIds.Prefix(project) + Guid.NewGuid().ToString("N")[..12];
        await Client.ScheduleNewOrchestrationInstanceAsync(TrainingPipeline.Name, new TrainingRunRequest { Project = project, Source = source, CorrelationId = "test-" + runId }, new StartOrchestrationOptions(runId));
        return runId;
    }

    public async Task<OrchestrationMetadata> WaitAsync(string runId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, cts.Token);
    }

    /// <summary>Polls the run's custom status until <paramref name="outcome"/> (the run is waiting for something).</summary>
    public async Task WaitForOutcomeAsync(string runId, string outcome, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var instance = await Client.GetInstanceAsync(runId, getInputsAndOutputs: true);
            var report = instance?.ReadCustomStatusAs<RunReport>();
            if (report?.Outcome == outcome)
            {
                return;
            }

            if (instance is { IsCompleted: true })
            {
                throw new InvalidOperationException(
                    $"Run {runId} ended {instance.RuntimeStatus} ({report?.Outcome}: {report?.FailureReason ?? string.Join("; ", report?.Dataset?.Errors ?? [])}) instead of reaching {outcome}.");
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Run {runId} did not reach {outcome} within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
