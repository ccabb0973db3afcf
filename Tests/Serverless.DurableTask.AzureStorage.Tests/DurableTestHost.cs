using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.DurableTask.TestWorker;
using Serverless.Storage;
using Serverless.Storage.Azure;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>An in-process host of the Durable Task SDK on DTFx Azure Storage over Azurite, with test-short timeouts.</summary>
public sealed class DurableTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DurableTestHost(IHost host) => _host = host;

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public IServiceProvider Services => _host.Services;

    /// <param name="register">The orchestrators and activities; <c>null</c> for a client-only host.</param>
    public static async Task<DurableTestHost> StartAsync(
        string connectionString,
        string hub,
        Action<DurableTaskRegistry>? register,
        string? workerId = null,
        Action<IServiceCollection>? services = null,
        Action<DurableTaskHubOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("DURABLE_TEST_CONSOLE") == "1")
        {
            // DTFx's own warnings and errors on the console, for diagnosing a failing test.
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }
        builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = connectionString });
        builder.Services.AddSingleton(sp => new ExecutionCounter(sp.GetRequiredService<ITableStore>(), hub + "Counts"));
        services?.Invoke(builder.Services);
        builder.Services.AddDurableTaskAzureStorage(o =>
        {
            TestWorkerSettings.Apply(o, hub, workerId ?? "worker-" + Guid.NewGuid().ToString("N")[..8]);
            o.StorageProvider.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(100);
            configure?.Invoke(o);
        });
        if (register is not null)
        {
            builder.Services.AddDurableTaskWorker(b => b.AddTasks(register).UseAzureStorage());
        }

        builder.Services.AddDurableTaskClient(b => b.UseAzureStorage());
        var host = builder.Build();
        await host.StartAsync();
        return new DurableTestHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
