using Serverless.Hosting;
using Serverless.Hosting.Health;
using Serverless.Hosting.Http;

namespace Serverless.Functions.BuiltIn;

/// <summary>
/// <c>GET /api/health</c> (anonymous): 200 when storage answers and the workers run, else 503. Without a key (or with
/// one that may not read) the body says only <c>{"status": "Healthy"|"Unhealthy"}</c>; with one, storage and workers.
/// </summary>
public sealed class HealthFunction(HostHealth health)
{
    [Function("Health")]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return Results.Json(report.ViewFor(request.HttpContext.GetCaller()), statusCode: report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
