using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.DurableTask.AzureStorage;
using Serverless.Storage;
using Serverless.Storage.Azure;
using Serverless.Storage.Azure.Azurite;

namespace Serverless.DurableTask.Benchmarks;

/// <summary>
/// One scenario's world: an Azurite of its own (in memory, in a temporary folder), a fresh task hub on it, and one
/// host with the Durable Task SDK worker and client on DTFx's Azure Storage provider, wired as the product wires them.
/// Disposing stops the host and this Azurite and removes the folder.
/// </summary>
public sealed class BenchStack : IAsyncDisposable
{
    private readonly AzuriteServer _azurite;
    private readonly IHost _host;
    private readonly string _location;

    private BenchStack(AzuriteServer azurite, IHost host, string location)
    {
        _azurite = azurite;
        _host = host;
        _location = location;
    }

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<BenchStack> StartAsync(string hub, Action<DurableTaskHubOptions> settings, Action<DurableTaskRegistry> register)
    {
        var location = Path.Combine(Path.GetTempPath(), "durabletask-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(location);
        var azurite = await AzuriteServer.StartAsync(new AzuriteOptions { Location = location, InMemory = true }, NullLogger.Instance);
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = azurite.ConnectionString });
            builder.Services.AddDurableTaskAzureStorage(o =>
            {
                settings(o);
                o.HubName = hub;
            });
            builder.Services.AddDurableTaskWorker(b => b.AddTasks(register).UseAzureStorage());
            builder.Services.AddDurableTaskClient(b => b.UseAzureStorage());
            var host = builder.Build();
            await host.StartAsync();
            return new BenchStack(azurite, host, location);
        }
        catch
        {
            await azurite.StopAsync();
            throw;
        }
    }

    /// <summary>Schedules one instance and waits for it to complete; throws when it ends otherwise.</summary>
    public async Task<OrchestrationMetadata> RunAsync(string orchestrator, object input, string? instanceId = null, CancellationToken cancellation = default)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), cancellation);
        return await WaitAsync(id, cancellation);
    }

    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, CancellationToken cancellation)
    {
        var done = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellation);
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"{done.Name} {instanceId} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        }

        return done;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        finally
        {
            await _azurite.StopAsync();
            try
            {
                Directory.Delete(_location, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
