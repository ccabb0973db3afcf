using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless.DurableTask.Http;
using Serverless.Hosting;
using Serverless.Hosting.Http;
using Serverless.Orchestrations.Training;
using Serverless.Registry;

namespace Serverless.Functions.Api;

/// <summary>
/// What the run store adds to runs, over <see cref="TrainingRuns"/>: <c>GET /api/runs/compare?ids=a,b,c</c>,
/// <c>PATCH /api/runs/{id}</c> (tags, description), <c>POST /api/runs/{id}/rerun</c> (same dataset version, same spec
/// snapshot) and <c>DELETE /api/runs/{id}</c> (409 while a model version's lineage names the run).
/// </summary>
public sealed class RunRecordFunctions(TrainingRuns runs)
{
    private const int MaxCompared = 20;

    [Function("CompareTrainingRuns")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> CompareAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/runs/compare")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var ids = request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count is < 1 or > MaxCompared)
        {
            return ApiResults.BadRequest($"ids: give 1 to {MaxCompared} run ids separated by commas (got {ids.Count}).");
        }

        var (comparison, missing, missingId) = await runs.CompareAsync(ids, RunFunctions.Visibility(context), context.CancellationToken).ConfigureAwait(false);
        return comparison is null ? RunFunctions.NotFound(missingId!, missing!) : ApiResults.Json(comparison);
    }

    [Function("AnnotateTrainingRun")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> AnnotateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/runs/{id}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var id = (string)request.RouteValues["id"]!;
        if (await ReadAnnotationAsync(request, context).ConfigureAwait(false) is not { } annotation)
        {
            return ApiResults.BadRequest("The body must be JSON like {\"tags\": {\"team\": \"risk\"}, \"description\": \"...\"}.");
        }

        var run = await runs.AnnotateAsync(id, annotation, ApiResults.Actor(context), RunFunctions.Visibility(context), context.CancellationToken).ConfigureAwait(false);
        return run is null ? ApiResults.NotFound($"There is no recorded training run '{id}'.") : ApiResults.Json(new { run.Id, run.Tags, run.Description });
    }

    [Function("RerunTrainingRun")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> RerunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/runs/{id}/rerun")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var id = (string)request.RouteValues["id"]!;
        var (lookup, started) = await runs.RerunAsync(id, ApiResults.Actor(context), context.GetCorrelationId(), RunFunctions.Visibility(context), context.CancellationToken).ConfigureAwait(false);
        return started switch
        {
            null => RunFunctions.NotFound(id, lookup),
            { Status: RunStartStatus.Started } => DurableHttpResponses.CreateCheckStatusResponse(request, started.RunId!),
            { Status: RunStartStatus.AlreadyExists } => HttpContextFunctionExtensions.Error(StatusCodes.Status409Conflict, started.Message),
            _ => HttpContextFunctionExtensions.Error(StatusCodes.Status409Conflict, started.Message),
        };
    }

    [Function("DeleteTrainingRun")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/runs/{id}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var id = (string)request.RouteValues["id"]!;
        var deleted = await runs.DeleteAsync(id, RunFunctions.Visibility(context), context.CancellationToken).ConfigureAwait(false);
        return deleted.Status switch
        {
            RunDeletionStatus.Deleted => ApiResults.Json(new { id, deleted = true }),
            RunDeletionStatus.NotFound => RunFunctions.NotFound(id, deleted.Lookup),
            _ => HttpContextFunctionExtensions.Error(StatusCodes.Status409Conflict, deleted.Message),
        };
    }

    /// <summary>The body of a PATCH: <c>{"tags": {...}, "description": "..."}</c>, or null when it is not such JSON.</summary>
    internal static async Task<Annotation?> ReadAnnotationAsync(HttpRequest request, FunctionContext context)
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<Annotation>(request.Body, RegistryJson.Options, context.CancellationToken).ConfigureAwait(false);
            return body is { Tags: null, Description: null } ? null : body;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
