using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.Durable.TestWorker;
using Serverless.Durable.Worker;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Durable.Tests;

/// <summary>An in-process worker host on the shared Azurite, with test-short timeouts.</summary>
public sealed class DurableTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DurableTestHost(IHost host) => _host = host;

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public DurableTaskWorker Worker => _host.Services.GetRequiredService<DurableTaskWorker>();

    public IServiceProvider Services => _host.Services;

    public static async Task<DurableTestHost> StartAsync(TestStorage storage, string hub, Action<DurableTaskRegistry> register, string? workerId = null, Action<IServiceCollection>? services = null, Action<DurableTaskOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(storage.Blobs).AddSingleton(storage.Tables).AddSingleton(storage.Queues).AddSingleton(storage.Leases);
        builder.Services.AddSingleton(sp => new ExecutionCounter(storage.Tables, hub + "Counts"));
        services?.Invoke(builder.Services);
        builder.Services.AddDurableTask(
            options =>
            {
                TestWorkerSettings.Apply(options, hub, workerId ?? "worker-" + Guid.NewGuid().ToString("N")[..8]);
                options.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(100);
                configure?.Invoke(options);
            },
            register);
        var host = builder.Build();
        await host.StartAsync();
        return new DurableTestHost(host);
    }

    public async Task StopAsync() => await _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
