using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.Hosting;
using Serverless.DurableTask.Http;
using Serverless.Orchestrations;
using Serverless.Orchestrations.Training;
using Serverless.Registry;
using Serverless.Storage;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Api;

/// <summary>
/// Training runs: <c>POST /api/projects/{project}/runs</c> (start on a dataset version; 202 with the Durable
/// Functions check-status body), <c>GET /api/runs?project=&amp;status=</c>, <c>GET /api/runs/{id}</c>, and the
/// manual promotion decision <c>POST /api/runs/{id}/approve|reject</c>. A key scoped to projects sees only runs
/// of its projects (<see cref="RunView.IsVisibleTo"/>).
/// </summary>
public sealed class RunFunctions(DurableTaskClient durable, DatasetCatalog datasets, IBlobStore blobs, RegistryTables names, TimeProvider time)
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

        DatasetVersion? version;
        try
        {
            version = body?.DatasetVersion is int number
                ? await datasets.GetAsync(project, number, context.CancellationToken).ConfigureAwait(false)
                : await datasets.GetLatestValidAsync(project, context.CancellationToken).ConfigureAwait(false);
        }
        catch (RegistryNotFoundException e)
        {
            return ApiResults.NotFound(e.Message);
        }

        if (version is null)
        {
            return ApiResults.NotFound($"Project '{project}' has no valid dataset version yet: upload a file to datasets/{project}/.");
        }

        var runId = TrainingRunIds.ForVersion(project, version.Version, RunTriggers.Manual, time.GetUtcNow());
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(TrainingPipeline.Name, new TrainingRunRequest
            {
                Project = project,
                DatasetVersion = version.Version,
                Trigger = RunTriggers.Manual,
                RequestedBy = ApiResults.Actor(context),
                Reason = $"manual by {ApiResults.Actor(context)} on dataset version {version.Version}",
                CorrelationId = context.GetCorrelationId(),
            }, SingleInstance.Options(runId), context.CancellationToken).ConfigureAwait(false);
        }
        catch (global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            return HttpContextFunctionExtensions.Error(StatusCodes.Status409Conflict, $"Run {runId} is already pending or running.");
        }

        return DurableHttpResponses.CreateCheckStatusResponse(request, runId);
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

        // The id prefix narrows the query; the filter keeps the project's own runs (another project's ids can share the prefix).
        var filter = new RunFilter(project, request.Query["status"].ToString(), context.GetCaller());
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = project.Length > 0 ? TrainingRunIds.Prefix(project) : "train-",
            FetchInputsAndOutputs = true,
            PageSize = 100,
        };
        var runs = new List<RunView>();
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(context.CancellationToken).ConfigureAwait(false))
        {
            var run = RunView.From(instance);
            if (filter.Includes(run))
            {
                runs.Add(run with { Report = null });
            }
        }

        return ApiResults.Json(new { runs = runs.OrderByDescending(r => r.CreatedAt).ToList() });
    }

    [Function("GetTrainingRun")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/runs/{id}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (run, problem) = await FindAsync(request, context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var validation = run!.Report?.Dataset?.ReportPath is { } path
            ? await blobs.TryDownloadTextAsync(names.ArtifactsContainer, path, context.CancellationToken).ConfigureAwait(false)
            : null;
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
        var (run, problem) = await FindAsync(request, context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (run!.Status != RunOutcomes.AwaitingApproval)
        {
            return ApiResults.Json(new { error = $"Run '{run.Id}' is {run.Status}, not awaiting approval." }, StatusCodes.Status409Conflict);
        }

        var reason = request.Query["reason"].ToString();
        var decision = new ApprovalDecision(approved, ApiResults.Actor(context), reason.Length > 0 ? reason : null);
        await durable.RaiseEventAsync(run.Id, TrainingEvents.Approval, decision, context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new { run.Id, decision }, StatusCodes.Status202Accepted);
    }

    private async Task<(RunView? Run, IResult? Problem)> FindAsync(HttpRequest request, FunctionContext context)
    {
        var id = (string)request.RouteValues["id"]!;
        var instance = id.StartsWith("train-", StringComparison.Ordinal)
            ? await durable.GetInstanceAsync(id, getInputsAndOutputs: true, context.CancellationToken).ConfigureAwait(false)
            : null;
        if (instance is null)
        {
            return (null, ApiResults.NotFound($"There is no training run '{id}'."));
        }

        var run = RunView.From(instance);
        return run.IsVisibleTo(context.GetCaller()) ? (run, null)
            : run.Project is { } project ? (null, ApiResults.Forbidden(project))
            : (null, ApiResults.NotFound($"There is no training run '{id}'."));
    }

    private sealed record StartRunBody(int? DatasetVersion);
}
