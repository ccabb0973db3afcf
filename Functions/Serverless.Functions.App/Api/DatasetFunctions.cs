using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.Orchestrations.Training;
using Serverless.Registry;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Api;

/// <summary>
/// <c>GET /api/projects/{project}/datasets</c>: dataset versions with hash, size, schema and validation outcome;
/// <c>GET /api/projects/{project}/datasets/{v}</c>: one version with its profile and the runs and model versions that used it.
/// </summary>
public sealed class DatasetFunctions(DatasetCatalog datasets, DatasetVersionLineage lineage)
{
    [Function("ListDatasetVersions")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/projects/{project}/datasets")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (project, rejected) = RouteNames.Read(request, "project", "Project");
        if (rejected is not null)
        {
            return rejected;
        }

        var versions = await datasets.ListAsync(project, context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new { project, versions });
    }

    [Function("GetDatasetVersion")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/projects/{project}/datasets/{version:int}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (project, rejected) = RouteNames.Read(request, "project", "Project");
        if (rejected is not null)
        {
            return rejected;
        }

        var number = int.Parse((string)request.RouteValues["version"]!, System.Globalization.CultureInfo.InvariantCulture);
        var detail = await lineage.GetAsync(project, number, context.CancellationToken).ConfigureAwait(false);
        if (detail is null)
        {
            return ApiResults.NotFound($"Project '{project}' has no dataset version {number}.");
        }

        return ApiResults.Json(new
        {
            project,
            version = detail.Version.Version,
            dataset = detail.Version,
            profile = detail.Profile,
            runs = detail.Runs,
            modelVersions = detail.ModelVersions,
        });
    }
}
