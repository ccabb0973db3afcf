using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// Wiring of the Durable Task SDK to DTFx's Azure Storage provider:
/// <code>
/// services.AddDurableTaskAzureStorage(o => configuration.GetSection("extensions:durableTask").Bind(o));
/// services.AddDurableTaskWorker(b => b.AddTasks(r => r.AddOrchestrator&lt;MyOrchestrator&gt;()).UseAzureStorage());
/// services.AddDurableTaskClient(b => b.UseAzureStorage());
/// </code>
/// Storage comes from the host's <c>AzureWebJobsStorage</c> connection (<c>AddAzureStorage</c>). Inputs, outputs,
/// events and custom status are JSON with web defaults (camelCase), on the worker and the client alike.
/// </summary>
public static class DurableTaskAzureStorageExtensions
{
    /// <summary>The JSON converter shared by worker and client.</summary>
    public static Microsoft.DurableTask.DataConverter DataConverter { get; } =
        new Microsoft.DurableTask.Converters.JsonDataConverter(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Registers the task hub (<see cref="DurableTaskHub"/>) with its settings.</summary>
    public static IServiceCollection AddDurableTaskAzureStorage(this IServiceCollection services, Action<DurableTaskHubOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DurableTaskHubOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<DurableTaskHub>();
        return services;
    }

    /// <summary>Runs this worker's orchestrators and activities on the task hub.</summary>
    public static IDurableTaskWorkerBuilder UseAzureStorage(this IDurableTaskWorkerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDurableTaskAzureStorage();
        builder.Services.Configure<DurableTaskWorkerOptions>(builder.Name, o => o.DataConverter = DataConverter);
        return builder.UseBuildTarget<AzureStorageDurableTaskWorker>();
    }

    /// <summary>Makes this client start, query and control instances on the task hub.</summary>
    public static IDurableTaskClientBuilder UseAzureStorage(this IDurableTaskClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDurableTaskAzureStorage();
        builder.Services.Configure<DurableTaskClientOptions>(builder.Name, o => o.DataConverter = DataConverter);
        return builder.UseBuildTarget<AzureStorageDurableTaskClient>();
    }
}
