using Microsoft.AspNetCore.Http;
using Serverless.Domain.Projects;
using Serverless.Hosting;
using Serverless.Registry;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Api;

/// <summary><c>PUT/GET /api/projects/{project}</c>, <c>GET /api/projects</c>: project specs.</summary>
public sealed class ProjectFunctions(ProjectCatalog projects, ProjectDirectory directory, TimeProvider time)
{
    [Function("PutProject")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/projects/{project}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (project, rejected) = RouteNames.Read(request, "project", "Project");
        if (rejected is not null)
        {
            return rejected;
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.CancellationToken).ConfigureAwait(false);
        ProjectSpec spec;
        try
        {
            spec = string.IsNullOrWhiteSpace(body) ? ProjectSpec.Default : ProjectSpecSerializer.Parse(body);
        }
        catch (ProjectSpecException e)
        {
            return ApiResults.Json(new { error = e.Message, errors = e.Errors }, StatusCodes.Status400BadRequest);
        }

        var record = await projects.PutAsync(project, spec, ApiResults.Actor(context), time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(ProjectView.From(record));
    }

    [Function("GetProject")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/projects/{project}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (project, rejected) = RouteNames.Read(request, "project", "Project");
        if (rejected is not null)
        {
            return rejected;
        }

        var record = await directory.GetAsync(project, context.CancellationToken).ConfigureAwait(false);
        return record is null ? ApiResults.NotFound($"Project '{project}' has no spec and no dataset.") : ApiResults.Json(ProjectView.From(record));
    }

    [Function("ListProjects")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/projects")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = await directory.ListAsync(context.CancellationToken).ConfigureAwait(false);
        return ApiResults.Json(new
        {
            projects = all.Where(p => context.GetCaller().CanAccessProject(p.Name)).Select(ProjectView.From).ToList(),
        });
    }
}

/// <summary>
/// A project as the API shows it: the spec as JSON, as it would be written in project.json, and where it comes from
/// (<c>stored</c>, or <c>inferred</c>: the defaults a project without project.json trains with).
/// </summary>
internal sealed record ProjectView(string Name, System.Text.Json.Nodes.JsonNode? Spec, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string UpdatedBy, string SpecSource)
{
    public static ProjectView From(ProjectRecord record) =>
        new(record.Name, System.Text.Json.Nodes.JsonNode.Parse(ProjectSpecSerializer.Serialize(record.Spec)), record.CreatedAt, record.UpdatedAt, record.UpdatedBy, record.SpecSource);
}
