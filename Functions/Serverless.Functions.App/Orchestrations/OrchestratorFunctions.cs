using Microsoft.DurableTask;
using Serverless.Orchestrations.ModelUploads;
using Serverless.Orchestrations.ModelUploads.Activities;
using Serverless.Orchestrations.Scoring;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Registry;

namespace Serverless.Functions.Orchestrations;

/// <summary>
/// The orchestrations as functions: one <c>[OrchestrationTrigger]</c> line per <see cref="TaskOrchestrator{TInput, TOutput}"/>
/// class (the Durable source generator that would write these is not served here). Orchestrator code must replay
/// deterministically: these only hand the context to the class.
/// </summary>
public static class OrchestratorFunctions
{
    [Function(nameof(TrainingPipeline))]
    public static Task<RunReport> TrainingPipeline([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new TrainingPipeline().RunAsync(context, context.GetInput<TrainingRunRequest>()!);

    [Function(nameof(ModelUploadPipeline))]
    public static Task<ModelUploadReport> ModelUploadPipeline([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ModelUploadPipeline().RunAsync(context, context.GetInput<ModelUploadRequest>()!);

    [Function(nameof(BatchScoring))]
    public static Task<ScoringStatus> BatchScoring([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new BatchScoring().RunAsync(context, context.GetInput<ScoringRequest>()!);
}
