using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Serverless.Storage.Azure;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the connection (<see cref="StorageConnectionOptions"/>, made once) and the Azure Storage implementations of
    /// <see cref="IBlobStore"/>, <see cref="ITableStore"/>, <see cref="IQueueStore"/> and <see cref="ILeaseStore"/>.
    /// </summary>
    public static IServiceCollection AddAzureStorage(this IServiceCollection services, Func<IServiceProvider, StorageConnectionOptions> connection)
    {
        services.TryAddSingleton(connection);
        services.TryAddSingleton(sp => new AzureStorageClients(sp.GetRequiredService<StorageConnectionOptions>()));
        services.TryAddSingleton<AzureBlobStore>();
        services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<AzureBlobStore>());
        services.TryAddSingleton<ITableStore, AzureTableStore>();
        services.TryAddSingleton<IQueueStore, AzureQueueStore>();
        services.TryAddSingleton<ILeaseStore, AzureBlobLeaseStore>();
        return services;
    }
}
