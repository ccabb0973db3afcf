using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Serverless.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for sources and meters named <c>Serverless.*</c> plus ASP.NET Core, exported as setting
/// <c>OpenTelemetry:Exporter</c> says: <c>none</c> (default), <c>console</c>, <c>otlp</c> (also logs, with their trace ids) or
/// <c>prometheus</c> (<c>/metrics</c>).
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public const string ExporterSetting = "OpenTelemetry:Exporter";

    public static IServiceCollection AddFunctionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var exporter = Exporter(configuration);
        if (exporter == "none")
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry();
        telemetry
            .ConfigureResource(r => r.AddService("serverless-mlops"))
            .WithTracing(tracing =>
            {
                tracing.AddSource("Serverless.*").AddAspNetCoreInstrumentation();
                _ = exporter switch
                {
                    "console" => tracing.AddConsoleExporter(),
                    "otlp" => tracing.AddOtlpExporter(),
                    _ => tracing,
                };
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("Serverless.*").AddAspNetCoreInstrumentation();
                _ = exporter switch
                {
                    "console" => metrics.AddConsoleExporter(),
                    "otlp" => metrics.AddOtlpExporter(),
                    "prometheus" => metrics.AddPrometheusExporter(),
                    _ => metrics,
                };
            });
        if (exporter == "otlp")
        {
            // Log records go out with the trace and span ids of the span they were written in.
            telemetry.WithLogging(logging => logging.AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Maps <c>/metrics</c> when the exporter is <c>prometheus</c>.</summary>
    public static WebApplication MapFunctionsTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Exporter(app.Configuration) == "prometheus")
        {
            app.MapPrometheusScrapingEndpoint();
        }

        return app;
    }

    private static string Exporter(IConfiguration configuration)
    {
        var value = (configuration[ExporterSetting] ?? "none").Trim().ToLowerInvariant();
        return value is "none" or "console" or "otlp" or "prometheus"
            ? value
            : throw new InvalidOperationException($"Setting {ExporterSetting} is '{value}'; use none, console, otlp or prometheus.");
    }
}
