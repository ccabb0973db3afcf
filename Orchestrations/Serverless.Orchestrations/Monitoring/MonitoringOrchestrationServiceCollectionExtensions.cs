using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Orchestrations.Artifacts;
using Serverless.Registry;
using Serverless.Serving.PredictionLogging;
using Serverless.Storage;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>Registers the monitoring loop's services that need the orchestrations: feedback datasets and housekeeping.</summary>
public static class MonitoringOrchestrationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="FeedbackDataset"/>, <see cref="Housekeeping"/> with the options section <c>Monitoring:Retention</c>,
    /// the <see cref="PredictionLogStore"/> and the <see cref="ArtifactStore"/>. Needs the registry, the durable client,
    /// the training pipeline's services (<see cref="TrainingPipelineServiceCollectionExtensions.AddTrainingPipeline(IServiceCollection)"/>)
    /// and the monitoring stores registered too.
    /// </summary>
    public static IServiceCollection AddMonitoringLoopOrchestration(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName)
            .Validate(o =>
            {
                o.Validate();
                return true;
            });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(RegistryTables.Default);
        services.TryAddSingleton(sp => new ArtifactStore(sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<RegistryTables>()));
        services.AddRunStore();
        services.TryAddSingleton<PredictionLogStore>();
        services.TryAddSingleton<FeedbackDataset>();
        services.TryAddTransient<Housekeeping>();
        return services;
    }
}
