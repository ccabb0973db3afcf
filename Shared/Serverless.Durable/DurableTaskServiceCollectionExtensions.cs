using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Durable.Storage;
using Serverless.Durable.Worker;
using Serverless.Storage;

namespace Serverless.Durable;

public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// Registers the durable engine: <see cref="DurableTaskOptions"/>, the <see cref="DurableTaskRegistry"/>,
    /// a <see cref="DurableTaskClient"/>, the default <see cref="DataConverter"/> (JSON, web defaults; register
    /// your own first to replace it) and the hosted <see cref="DurableTaskWorker"/>. Needs the storage
    /// abstractions (<see cref="IQueueStore"/>, <see cref="ITableStore"/>, <see cref="IBlobStore"/>, <see cref="ILeaseStore"/>).
    /// </summary>
    public static IServiceCollection AddDurableTask(this IServiceCollection services, Action<DurableTaskOptions>? configure, Action<DurableTaskRegistry> registerTasks)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registerTasks);
        var optionsBuilder = services.AddOptions<DurableTaskOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        var registry = new DurableTaskRegistry();
        registerTasks(registry);
        services.AddSingleton(registry);
        services.TryAddSingleton<DataConverter>(JsonDataConverter.Default);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DurableTaskOptions>>().Value;
            return new TaskHubStorage(
                sp.GetRequiredService<IQueueStore>(),
                sp.GetRequiredService<ITableStore>(),
                sp.GetRequiredService<IBlobStore>(),
                sp.GetRequiredService<ILeaseStore>(),
                new TaskHubNames(options.HubName, options.StorageProvider.PartitionCount));
        });
        services.TryAddSingleton<DurableTaskClient>(sp => new StorageDurableTaskClient(sp.GetRequiredService<TaskHubStorage>(), sp.GetRequiredService<DataConverter>()));
        services.TryAddSingleton(sp => new DurableTaskWorker(
            sp.GetRequiredService<TaskHubStorage>(),
            sp.GetRequiredService<DurableTaskRegistry>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<DataConverter>(),
            sp.GetRequiredService<IOptions<DurableTaskOptions>>(),
            sp.GetRequiredService<ILogger<DurableTaskWorker>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DurableTaskWorker>());
        return services;
    }
}
