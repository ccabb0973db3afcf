using Serverless.Orchestrations.ModelUploads;
using Serverless.Orchestrations.ModelUploads.Activities;
using Serverless.Orchestrations.Scoring;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Activities;
using Serverless.Orchestrations.Training.Records;
using Serverless.Registry;

namespace Serverless.Functions.Orchestrations;

/// <summary>
/// The orchestrations' activities as functions: one <c>[ActivityTrigger]</c> line per
/// <c>TaskActivity</c> class, which runs with the invocation's services (<see cref="DurableActivity"/>).
/// </summary>
public static class ActivityFunctions
{
    [Function(nameof(AcquireRunSlot))]
    public static Task<bool> AcquireRunSlot([ActivityTrigger] RunSlotRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<AcquireRunSlot, RunSlotRequest, bool>(input, instanceId, context);

    [Function(nameof(ReleaseRunSlot))]
    public static Task<string?> ReleaseRunSlot([ActivityTrigger] RunSlotRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<ReleaseRunSlot, RunSlotRequest, string?>(input, instanceId, context);

    [Function(nameof(RecordRun))]
    public static Task<bool> RecordRun([ActivityTrigger] RunRecordUpdate input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<RecordRun, RunRecordUpdate, bool>(input, instanceId, context);

    [Function(nameof(IngestDataset))]
    public static Task<IngestOutcome> IngestDataset([ActivityTrigger] IngestRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<IngestDataset, IngestRequest, IngestOutcome>(input, instanceId, context);

    [Function(nameof(SplitDataset))]
    public static Task<SplitOutcome> SplitDataset([ActivityTrigger] SplitRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<SplitDataset, SplitRequest, SplitOutcome>(input, instanceId, context);

    [Function(nameof(PlanCandidates))]
    public static Task<PlanOutcome> PlanCandidates([ActivityTrigger] PlanRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<PlanCandidates, PlanRequest, PlanOutcome>(input, instanceId, context);

    [Function(nameof(TrainCandidate))]
    public static Task<CandidateOutcome> TrainCandidate([ActivityTrigger] TrainRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<TrainCandidate, TrainRequest, CandidateOutcome>(input, instanceId, context);

    [Function(nameof(EvaluateChallenger))]
    public static Task<EvaluationOutcome> EvaluateChallenger([ActivityTrigger] EvaluateRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<EvaluateChallenger, EvaluateRequest, EvaluationOutcome>(input, instanceId, context);

    [Function(nameof(RegisterModel))]
    public static Task<RegisteredVersion> RegisterModel([ActivityTrigger] RegisterRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<RegisterModel, RegisterRequest, RegisteredVersion>(input, instanceId, context);

    [Function(nameof(SetModelAlias))]
    public static Task<bool> SetModelAlias([ActivityTrigger] SetAliasRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<SetModelAlias, SetAliasRequest, bool>(input, instanceId, context);

    [Function(nameof(PromoteModel))]
    public static Task<PromotionResult> PromoteModel([ActivityTrigger] PromoteRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<PromoteModel, PromoteRequest, PromotionResult>(input, instanceId, context);

    [Function(nameof(ValidateUpload))]
    public static Task<UploadValidation> ValidateUpload([ActivityTrigger] ModelUploadRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<ValidateUpload, ModelUploadRequest, UploadValidation>(input, instanceId, context);

    [Function(nameof(EvaluateUpload))]
    public static Task<UploadEvaluation> EvaluateUpload([ActivityTrigger] EvaluateUploadRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<EvaluateUpload, EvaluateUploadRequest, UploadEvaluation>(input, instanceId, context);

    [Function(nameof(RegisterUpload))]
    public static Task<RegisteredVersion> RegisterUpload([ActivityTrigger] RegisterUploadRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<RegisterUpload, RegisterUploadRequest, RegisteredVersion>(input, instanceId, context);

    [Function(nameof(PlanScoring))]
    public static Task<ScoringPlan> PlanScoring([ActivityTrigger] ScoringRequest input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<PlanScoring, ScoringRequest, ScoringPlan>(input, instanceId, context);

    [Function(nameof(ScoreChunk))]
    public static Task<ChunkOutcome> ScoreChunk([ActivityTrigger] ChunkWork input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<ScoreChunk, ChunkWork, ChunkOutcome>(input, instanceId, context);

    [Function(nameof(MergeScoring))]
    public static Task<bool> MergeScoring([ActivityTrigger] MergeWork input, string instanceId, FunctionContext context) =>
        DurableActivity.RunAsync<MergeScoring, MergeWork, bool>(input, instanceId, context);
}
