using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Orchestrations.Artifacts;
using Serverless.Orchestrations.ModelUploads.Activities;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.ModelUploads;

public static class ModelUploadServiceCollectionExtensions
{
    /// <summary>The services the upload orchestration's activities and trigger need (the registry itself is registered by the host).</summary>
    public static IServiceCollection AddModelUploads(this IServiceCollection services, Action<ModelUploadOptions>? configure = null)
    {
        var options = services.AddOptions<ModelUploadOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.MaxModelBytes > 0, $"{ModelUploadOptions.Section}:{nameof(ModelUploadOptions.MaxModelBytes)} must be positive.");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(RegistryTables.Default);
        services.TryAddSingleton(sp => new ArtifactStore(sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<RegistryTables>()));
        services.TryAddSingleton<ModelUploadFingerprints>();
        return services;
    }

    /// <summary>Registers the upload orchestrator and its activities (<see cref="SetModelAlias"/> and <see cref="PromoteModel"/> are shared with the training pipeline and registered once).</summary>
    public static DurableTaskRegistry AddModelUploads(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddOrchestrator<ModelUploadPipeline>()
            .AddActivity<ValidateUpload>()
            .AddActivity<EvaluateUpload>()
            .AddActivity<RegisterUpload>();
        if (!registry.GetActivities().Any(a => string.Equals(a.Key.Name, nameof(SetModelAlias), StringComparison.OrdinalIgnoreCase)))
        {
            registry.AddActivity<SetModelAlias>();
        }

        if (!registry.GetActivities().Any(a => string.Equals(a.Key.Name, nameof(PromoteModel), StringComparison.OrdinalIgnoreCase)))
        {
            registry.AddActivity<PromoteModel>();
        }

        return registry;
    }
}
