using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serverless.Registry;

namespace Serverless.Functions.Api;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>Registers the project catalog, dataset catalog and model registry, and creates their tables at start.</summary>
    public static IServiceCollection AddModelRegistry(this IServiceCollection services, RegistryTables? tables = null)
    {
        services.TryAddSingleton(tables ?? RegistryTables.Default);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ProjectCatalog(sp.GetRequiredService<Storage.ITableStore>(), sp.GetRequiredService<RegistryTables>()));
        services.TryAddSingleton(sp => new DatasetCatalog(sp.GetRequiredService<Storage.ITableStore>(), sp.GetRequiredService<RegistryTables>()));
        services.TryAddSingleton<ProjectDirectory>();
        services.TryAddSingleton(sp => new ModelRegistry(sp.GetRequiredService<Storage.ITableStore>(), sp.GetRequiredService<Storage.IBlobStore>(), sp.GetRequiredService<RegistryTables>()));
        services.AddHostedService<RegistryInitializer>();
        return services;
    }

    /// <summary>Creates the registry's tables and container before requests arrive.</summary>
    private sealed class RegistryInitializer(ProjectCatalog projects, DatasetCatalog datasets, ModelRegistry models) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await projects.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await datasets.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await models.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
