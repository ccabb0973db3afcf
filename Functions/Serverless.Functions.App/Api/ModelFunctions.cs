using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.Registry;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Api;

/// <summary>
/// <c>GET /api/models</c>, <c>GET /api/models/{name}</c>, <c>GET /api/models/{name}/versions/{v}</c> (and <c>/onnx</c>),
/// <c>PATCH /api/models/{name}/versions/{v}</c> (tags, description; admin, who and when kept), <c>GET /api/models/{name}/audit</c>.
/// </summary>
public sealed class ModelFunctions(ModelRegistry registry, TimeProvider time)
{
    [Function("ListModels")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var models = await registry.ListModelsAsync(context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new { models = models.Where(m => context.GetCaller().CanAccessProject(m.Name)).ToList() });
    }

    [Function("GetModel")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return rejected;
        }

        var model = await registry.GetModelAsync(name, context.CancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return ApiResults.NotFound($"Model '{name}' is not registered.");
        }

        var versions = await registry.ListVersionsAsync(name, context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new
        {
            model.Name,
            model.Project,
            model.LatestVersion,
            model.CreatedAt,
            model.Aliases,
            versions = versions.Select(v => new { v.Version, v.CreatedAt, v.Metrics, v.Aliases, source = v.Lineage.Source, runId = v.Lineage.RunId, featureImportance = v.FeatureImportance ?? [] }),
        });
    }

    [Function("GetModelVersion")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> GetVersionAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}/versions/{version:int}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, version, problem) = await ResolveAsync(request, context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var card = await registry.ReadModelCardAsync(version!, context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new
        {
            model = name,
            version!.Version,
            version.CreatedAt,
            version.Aliases,
            version.Metrics,
            version.Signature,
            version.Lineage,
            version.Tags,
            version.Description,
            version.AnnotatedBy,
            version.AnnotatedAt,
            featureImportance = version.FeatureImportance ?? [],
            slices = version.Slices ?? [],
            modelCard = card,
            onnx = $"{request.PathBase}{request.Path}/onnx",
        });
    }

    [Function("AnnotateModelVersion")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> AnnotateVersionAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/models/{name}/versions/{version:int}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, version, problem) = await ResolveAsync(request, context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (await RunRecordFunctions.ReadAnnotationAsync(request, context).ConfigureAwait(false) is not { } annotation)
        {
            return ApiResults.BadRequest("The body must be JSON like {\"tags\": {\"team\": \"risk\"}, \"description\": \"...\"}.");
        }

        var annotated = await registry.AnnotateVersionAsync(name, version!.Version, annotation, ApiResults.Actor(context), time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new { model = name, annotated.Version, annotated.Tags, annotated.Description, annotated.AnnotatedBy, annotated.AnnotatedAt });
    }

    [Function("DownloadModelVersionOnnx")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> DownloadOnnxAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}/versions/{version:int}/onnx")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, version, problem) = await ResolveAsync(request, context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var stream = await registry.OpenOnnxAsync(version!, context.CancellationToken).ConfigureAwait(false);
        return Results.Stream(stream, "application/octet-stream", $"{name}-v{version!.Version}.onnx");
    }

    [Function("GetModelAuditLog")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> GetAuditAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}/audit")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return rejected;
        }

        return ApiResults.Json(new { model = name, changes = await registry.GetAuditLogAsync(name, cancellationToken: context.CancellationToken).ConfigureAwait(false) });
    }

    private async Task<(string Name, ModelVersion? Version, IResult? Problem)> ResolveAsync(HttpRequest request, FunctionContext context)
    {
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return (name, null, rejected);
        }

        var number = int.Parse((string)request.RouteValues["version"]!, System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            return (name, await registry.GetVersionAsync(name, number, context.CancellationToken).ConfigureAwait(false), null);
        }
        catch (RegistryNotFoundException e)
        {
            return (name, null, ApiResults.NotFound(e.Message));
        }
    }
}
