using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Serverless.Orchestrations.Scoring;

public static class BatchScoringServiceCollectionExtensions
{
    /// <summary>Batch scoring's services: options (section <c>Scoring</c>), the input scanner and the loaded models of chunk activities.</summary>
    public static IServiceCollection AddBatchScoring(this IServiceCollection services)
    {
        services.AddOptions<BatchScoringOptions>().BindConfiguration(BatchScoringOptions.Section);
        services.TryAddSingleton<ScoringModels>();
        services.TryAddSingleton<ScoringInputScanner>();
        return services;
    }

    /// <summary>Registers the batch scoring orchestrator and its activities.</summary>
    public static DurableTaskRegistry AddBatchScoring(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<BatchScoring>()
            .AddActivity<PlanScoring>()
            .AddActivity<ScoreChunk>()
            .AddActivity<MergeScoring>();
    }
}
