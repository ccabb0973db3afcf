using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.Monitoring.Stores;
using Serverless.Hosting.Http;

namespace Serverless.Functions.Monitoring;

/// <summary>
/// <c>GET /api/models/{name}/monitoring</c> (latest drift report, live performance, open alerts, report history),
/// <c>POST /api/models/{name}/monitoring/check</c> (admin: run the drift and performance checks now) and
/// <c>GET /api/models/{name}/alerts</c>.
/// </summary>
public sealed class MonitoringFunctions(DriftMonitor drift, PerformanceMonitor performance, DriftReportStore reports, AlertStore alerts)
{
    private const int HistorySize = 20;

    [Function("GetModelMonitoring")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}/monitoring")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if ((rejected ?? Forbidden(name, context)) is { } refused)
        {
            return refused;
        }

        var ct = context.CancellationToken;
        var latest = await reports.GetLatestAsync(name, ct).ConfigureAwait(false);
        var history = await reports.ListAsync(name, HistorySize, ct).ConfigureAwait(false);
        var live = await performance.CheckAsync(name, context.GetCorrelationId(), raiseAlerts: false, ct).ConfigureAwait(false);
        var open = await alerts.ListAsync(name, openOnly: true, ct).ConfigureAwait(false);
        return MonitoringJson.Json(new
        {
            model = name,
            drift = latest is null ? null : new
            {
                status = latest.EvaluatedFeatures == 0 ? "insufficientData" : latest.AnyDrift ? "drift" : "noDrift",
                report = latest,
            },
            performance = live.Report is null ? null : new { status = live.Report.Verdict, report = live.Report },
            performanceSkipped = live.Skipped,
            alerts = open,
            history = history.Select(h => new { h.Id, h.Version, h.ComputedAt, h.DatasetDrift, h.PredictionDrift, h.DriftedFeatures, h.EvaluatedFeatures, report = h.BlobPath }),
        });
    }

    [Function("CheckModelMonitoring")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> CheckAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/models/{name}/monitoring/check")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if (rejected is not null)
        {
            return rejected;
        }

        var driftResult = await drift.CheckAsync(name, context.GetCorrelationId(), context.CancellationToken).ConfigureAwait(false);
        var performanceResult = await performance.CheckAsync(name, context.GetCorrelationId(), raiseAlerts: true, context.CancellationToken).ConfigureAwait(false);
        return MonitoringJson.Json(new { drift = driftResult, performance = performanceResult });
    }

    [Function("ListModelAlerts")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public async Task<IResult> ListAlertsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}/alerts")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (name, rejected) = RouteNames.Read(request, "name", "Model");
        if ((rejected ?? Forbidden(name, context)) is { } refused)
        {
            return refused;
        }

        var all = string.Equals(request.Query["state"], "all", StringComparison.OrdinalIgnoreCase);
        return MonitoringJson.Json(new { alerts = await alerts.ListAsync(name, openOnly: !all, context.CancellationToken).ConfigureAwait(false) });
    }

    private static IResult? Forbidden(string name, FunctionContext context) =>
        context.GetCaller().CanAccessProject(name) ? null : MonitoringJson.Error(StatusCodes.Status403Forbidden, $"The key used may not access model '{name}'.");
}
