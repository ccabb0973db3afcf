using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.Hosting.Http;
using Serverless.Registry;
using Serverless.Serving.Traffic;
using Serverless.Storage;

namespace Serverless.Functions.Serving;

/// <summary>
/// <c>GET|PUT|DELETE /api/models/{name}/traffic</c> (admin): read, set (<c>{"canary": {"version": 4, "share": 0.1}}</c> or
/// <c>{"shadow": {"version": 4}}</c>, optional <c>"reason"</c>) or clear (<c>?reason=</c>) a model's traffic policy.
/// Changes are audited with the caller's key name and reach every host within the alias cache time.
/// </summary>
public sealed class TrafficFunctions(ModelRegistry registry, TrafficPolicyCache cache, TimeProvider time)
{
    [Function("GetModelTraffic")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}/traffic")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return rejected;
        }

        var policy = TrafficPolicyJson.Deserialize(await registry.GetTrafficPolicyAsync(name, context.CancellationToken).ConfigureAwait(false));
        return Results.Json(new TrafficView(name, policy?.Canary, policy?.Shadow), TrafficPolicyJson.Options);
    }

    [Function("SetModelTraffic")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> SetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/models/{name}/traffic")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return rejected;
        }

        TrafficRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<TrafficRequest>(request.Body, TrafficPolicyJson.Options, context.CancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return BadRequest($"The body must be JSON like {{\"canary\": {{\"version\": 4, \"share\": 0.1}}}} or {{\"shadow\": {{\"version\": 4}}}}: {e.Message}");
        }

        var policy = new TrafficPolicy(body?.Canary, body?.Shadow);
        if (policy.Describe() is { } problem)
        {
            return BadRequest(problem);
        }

        var reason = body?.Reason ?? "set through the API";
        return await ChangeAsync(name, policy, reason, context).ConfigureAwait(false);
    }

    [Function("ClearModelTraffic")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> ClearAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/models/{name}/traffic")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return rejected;
        }

        var reason = request.Query["reason"].ToString();
        return await ChangeAsync(name, null, reason.Length > 0 ? reason : "cleared through the API", context).ConfigureAwait(false);
    }

    private async Task<IResult> ChangeAsync(string name, TrafficPolicy? policy, string reason, FunctionContext context)
    {
        try
        {
            var change = await registry.SetTrafficPolicyAsync(
                name,
                policy is null ? null : TrafficPolicyJson.Serialize(policy),
                policy?.TargetVersion,
                context.GetCaller().KeyName ?? "anonymous",
                reason,
                time.GetUtcNow(),
                context.CancellationToken).ConfigureAwait(false);
            cache.Forget(name);
            return Results.Json(change, RegistryJson.Options);
        }
        catch (RegistryNotFoundException e)
        {
            return HttpContextFunctionExtensions.Error(StatusCodes.Status404NotFound, e.Message);
        }
    }

    private static IResult BadRequest(string message) => HttpContextFunctionExtensions.Error(StatusCodes.Status400BadRequest, message);

    private sealed record TrafficRequest(CanaryRoute? Canary, ShadowRoute? Shadow, string? Reason);

    private sealed record TrafficView(string Model, CanaryRoute? Canary, ShadowRoute? Shadow);
}
