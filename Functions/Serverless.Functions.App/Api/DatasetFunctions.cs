using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.Registry;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Api;

/// <summary><c>GET /api/projects/{project}/datasets</c>: dataset versions with hash, size, schema and validation outcome.</summary>
public sealed class DatasetFunctions(DatasetCatalog datasets)
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
}
