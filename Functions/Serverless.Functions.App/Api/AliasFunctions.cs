using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.Registry;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Api;

/// <summary>
/// <c>PUT /api/models/{name}/aliases/{alias}</c> (promote: body <c>{"version": 3, "reason": "..."}</c>) and
/// <c>DELETE /api/models/{name}/aliases/{alias}</c> (roll back to the version the alias held before, or remove it).
/// Both are atomic and audited with the caller's key name, and each produces one <c>alias.changed</c> event carrying the request's correlation id.
/// </summary>
public sealed class AliasFunctions(ModelRegistry registry, TimeProvider time)
{
    [Function("PutModelAlias")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> SetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/models/{name}/aliases/{alias}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, alias, rejected) = ReadRoute(request);
        if (rejected is not null)
        {
            return rejected;
        }

        AliasRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<AliasRequest>(request.Body, RegistryJson.Options, context.CancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return ApiResults.BadRequest($"The body must be JSON like {{\"version\": 3, \"reason\": \"...\"}}: {e.Message}");
        }

        if (body?.Version is not int version || version < 1)
        {
            return ApiResults.BadRequest("Field 'version' is required: the model version (1 or more) the alias should point at.");
        }

        try
        {
            var change = await registry.SetAliasAsync(name, alias, version, ApiResults.Actor(context), body.Reason ?? "set through the API", time.GetUtcNow(), context.GetCorrelationId(), context.CancellationToken).ConfigureAwait(false);
            return ApiResults.Json(change);
        }
        catch (RegistryNotFoundException e)
        {
            return ApiResults.NotFound(e.Message);
        }
    }

    [Function("RollBackModelAlias")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> RollBackAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/models/{name}/aliases/{alias}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, alias, rejected) = ReadRoute(request);
        if (rejected is not null)
        {
            return rejected;
        }

        var reason = request.Query["reason"].ToString();
        try
        {
            var change = await registry.RollBackAliasAsync(name, alias, ApiResults.Actor(context), reason.Length > 0 ? reason : "rolled back through the API", time.GetUtcNow(), context.GetCorrelationId(), context.CancellationToken).ConfigureAwait(false);
            return ApiResults.Json(change);
        }
        catch (RegistryNotFoundException e)
        {
            return ApiResults.NotFound(e.Message);
        }
    }

    private static (string Name, string Alias, IResult? Rejected) ReadRoute(HttpRequest request)
    {
        var (name, badName) = RouteNames.Read(request, "name", "Model");
        var (alias, badAlias) = RouteNames.Read(request, "alias", "Alias");
        return (name, alias, badName ?? badAlias);
    }

    private sealed record AliasRequest(int? Version, string? Reason);
}
