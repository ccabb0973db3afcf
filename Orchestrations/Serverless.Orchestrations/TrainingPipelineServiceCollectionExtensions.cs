using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serverless.Data;
using Serverless.Orchestrations.Artifacts;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Orchestrations.Training.Records;
using Serverless.Orchestrations.Training.RunSlots;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations;

public static class TrainingPipelineServiceCollectionExtensions
{
    /// <summary>
    /// The services the training pipeline's activities need, and <see cref="TrainingRuns"/>, the one owner of starting and
    /// reading runs (the registry and the durable client are registered by the host).
    /// </summary>
    public static IServiceCollection AddTrainingPipeline(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(RegistryTables.Default);
        services.TryAddSingleton(sp => new ArtifactStore(sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<RegistryTables>()));
        services.TryAddSingleton<DatasetVersionRecorder>();
        services.AddRunStore();
        services.TryAddSingleton<TrainingRuns>();
        services.TryAddSingleton<DatasetVersionLineage>();
        services.TryAddSingleton(sp => new ProjectRunSlots(sp.GetRequiredService<ITableStore>()));
        services.AddDatasetIngestion();
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section);
        services.AddHostedService<RunSlotsInitializer>();
        return services;
    }

    /// <summary>The run store (<see cref="RunStoreNames"/> default to the registry's artifacts container unless registered before).</summary>
    public static IServiceCollection AddRunStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(RegistryTables.Default);
        services.TryAddSingleton(sp => RunStoreNames.Default with { Container = sp.GetRequiredService<RegistryTables>().ArtifactsContainer });
        services.TryAddSingleton<RunStore>();
        return services;
    }

    /// <summary>Registers the training pipeline orchestrator and its activities.</summary>
    public static DurableTaskRegistry AddTrainingPipeline(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<TrainingPipeline>()
            .AddActivity<AcquireRunSlot>()
            .AddActivity<ReleaseRunSlot>()
            .AddActivity<RecordRun>()
            .AddActivity<IngestDataset>()
            .AddActivity<SplitDataset>()
            .AddActivity<PlanCandidates>()
            .AddActivity<TrainCandidate>()
            .AddActivity<EvaluateChallenger>()
            .AddActivity<RegisterModel>()
            .AddActivity<SetModelAlias>()
            .AddActivity<PromoteModel>();
    }

    private sealed class RunSlotsInitializer(ProjectRunSlots slots) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => slots.InitializeAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
