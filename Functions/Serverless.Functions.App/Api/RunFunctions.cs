using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.DurableTask.Http;
using Serverless.Orchestrations.Training;
using Serverless.Registry;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Api;

/// <summary>
/// Training runs: <c>POST /api/projects/{project}/runs</c> (start on a dataset version; 202 with the Durable
/// Functions check-status body), <c>GET /api/runs?project=&amp;status=&amp;trigger=&amp;tag=k:v&amp;since=&amp;until=&amp;orderBy=&amp;top=&amp;continuationToken=</c>
/// (a page of the run store's search), <c>GET /api/runs/{id}</c>, and the
/// manual promotion decision <c>POST /api/runs/{id}/approve|reject</c>, over <see cref="TrainingRuns"/>. A key scoped to
/// projects sees only runs of its projects (<see cref="RunVisibility"/>): another project's run is answered 403 when its
/// id cannot be one of the key's projects' and otherwise as a missing run (404), so its existence never shows.
/// </summary>
public sealed class RunFunctions(TrainingRuns runs)
{
    [Function("StartTrainingRun")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/projects/{project}/runs")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (project, rejected) = RouteNames.Read(request, "project", "Project");
        if (rejected is not null)
        {
            return rejected;
        }

        StartRunBody? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await JsonSerializer.DeserializeAsync<StartRunBody>(request.Body, RegistryJson.Options, context.CancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return ApiResults.BadRequest($"The body must be JSON like {{\"datasetVersion\": 2}} (or empty for the latest valid version): {e.Message}");
            }
        }

        var started = await runs.StartManualAsync(project, body?.DatasetVersion, ApiResults.Actor(context), context.GetCorrelationId(), context.CancellationToken).ConfigureAwait(false);
        return started.Status switch
        {
            RunStartStatus.Started => DurableHttpResponses.CreateCheckStatusResponse(request, started.RunId!),
            RunStartStatus.AlreadyExists => HttpContextFunctionExtensions.Error(StatusCodes.Status409Conflict, started.Message),
            _ => ApiResults.NotFound(started.Message),
        };
    }

    [Function("ListTrainingRuns")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/runs")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var project = request.Query["project"].ToString();
        if (project.Length > 0 && RouteNames.Reject("Project", project) is { } rejected)
        {
            return rejected;
        }

        if (project.Length > 0 && !context.GetCaller().CanAccessProject(project))
        {
            return ApiResults.Forbidden(project);
        }

        var query = new RunQuery(project, request.Query["status"].ToString(), Visibility(context))
        {
            Trigger = Text(request, "trigger"),
            Tag = Text(request, "tag"),
            Since = Time(request, "since"),
            Until = Time(request, "until"),
            OrderBy = Text(request, "orderBy"),
            Top = Text(request, "top") is { } top ? (int.TryParse(top, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new RunQueryException($"top: '{top}' is not a number.")) : RunQuery.DefaultTop,
            Continuation = Text(request, "continuationToken"),
        };
        var page = await runs.ListAsync(query, context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new { runs = page.Runs, continuationToken = page.ContinuationToken });
    }

    [Function("GetTrainingRun")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/runs/{id}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var id = (string)request.RouteValues["id"]!;
        var lookup = await runs.GetAsync(id, Visibility(context), context.CancellationToken).ConfigureAwait(false);
        if (lookup.Run is not { } run)
        {
            return NotFound(id, lookup);
        }

        var validation = await runs.ReadValidationReportAsync(run, context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new
        {
            run.Id,
            run.Project,
            run.Status,
            run.RuntimeStatus,
            run.CreatedAt,
            run.LastUpdatedAt,
            run.FailureReason,
            run.Trigger,
            run.RequestedBy,
            run.Reason,
            run.RerunOf,
            run.EndedAt,
            run.DatasetVersion,
            run.DatasetHash,
            run.SpecHash,
            run.CodeVersion,
            run.Metrics,
            run.Tags,
            run.Description,
            correlationId = run.Report?.CorrelationId,
            steps = run.Report?.Steps,
            dataset = run.Report?.Dataset,
            validation = validation is null ? (JsonElement?)null : JsonDocument.Parse(validation).RootElement,
            candidates = run.Report?.Candidates,
            evaluation = run.Report?.Evaluation,
            modelVersion = run.Report?.ModelVersion,
            promotion = run.Report?.Promotion,
        });
    }

    [Function("ApproveTrainingRun")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public Task<IResult> ApproveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/runs/{id}/approve")] HttpRequest request,
        FunctionContext context) => DecideAsync(request, context, approved: true);

    [Function("RejectTrainingRun")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public Task<IResult> RejectAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/runs/{id}/reject")] HttpRequest request,
        FunctionContext context) => DecideAsync(request, context, approved: false);

    private async Task<IResult> DecideAsync(HttpRequest request, FunctionContext context, bool approved)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var id = (string)request.RouteValues["id"]!;
        var reason = request.Query["reason"].ToString();
        var decision = new ApprovalDecision(approved, ApiResults.Actor(context), reason.Length > 0 ? reason : null);
        var outcome = await runs.DecideAsync(id, decision, Visibility(context), context.CancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            { Raised: true } => ApiResults.Json(new { id, decision }, StatusCodes.Status202Accepted),
            { Lookup.Run: { } run } => ApiResults.Json(new { error = $"Run '{run.Id}' is {run.Status}, not awaiting approval." }, StatusCodes.Status409Conflict),
            _ => NotFound(id, outcome.Lookup),
        };
    }

    /// <summary>The runs the caller's key may see.</summary>
    internal static RunVisibility Visibility(FunctionContext context) => RunVisibility.ForKeyProjects(context.GetCaller().Projects);

    private static string? Text(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    private static DateTimeOffset? Time(HttpRequest request, string name) => Text(request, name) is not { } value
        ? null
        : DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new RunQueryException($"{name}: '{value}' is not a date or time (ISO 8601, e.g. 2026-01-31T00:00:00Z).");

    /// <summary>A run not found for the caller: 403 when its id cannot be one of the key's projects', else 404 as for a missing run.</summary>
    internal static IResult NotFound(string id, RunLookup lookup) => lookup.Access == RunAccess.OutOfScope
        ? HttpContextFunctionExtensions.Error(StatusCodes.Status403Forbidden, $"The key used may not access run '{id}': it is not a run of the key's projects.")
        : ApiResults.NotFound($"There is no training run '{id}'.");

    private sealed record StartRunBody(int? DatasetVersion);
}
