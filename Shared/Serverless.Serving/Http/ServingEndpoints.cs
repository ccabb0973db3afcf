using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Serving.Feedback;
using Serverless.Serving.OpenInference;
using Serverless.Serving.Predictions;
using Serverless.Serving.Telemetry;
using Serverless.Storage;

namespace Serverless.Serving.Http;

/// <summary>The endpoint builders <see cref="ServingEndpoints.MapServingEndpoints"/> created, for the host to add key authorization.</summary>
public sealed record ServingEndpointBuilders(
    IEndpointConventionBuilder Predict,
    IEndpointConventionBuilder Feedback,
    IEndpointConventionBuilder OpenInference,
    IEndpointConventionBuilder OpenInferenceHealth);

/// <summary>Maps the prediction API: MLflow-style predict, feedback, and the Open Inference Protocol v2 REST routes.</summary>
public static class ServingEndpoints
{
    public const string ModelVersionHeader = "x-model-version";
    public const string CorrelationHeader = "x-correlation-id";

    /// <summary>
    /// Maps <c>POST {prefix}/models/{name}/predict[?version=N|alias=A]</c>, <c>POST {prefix}/models/{name}/feedback</c>,
    /// <c>GET /v2</c>, <c>GET /v2/health/live|ready</c>, <c>GET /v2/models/{name}[/versions/{v}][/ready]</c> and
    /// <c>POST /v2/models/{name}[/versions/{v}]/infer</c>. Needs <see cref="ServingServiceCollectionExtensions.AddServing"/>.
    /// </summary>
    public static ServingEndpointBuilders MapServingEndpoints(this IEndpointRouteBuilder routes, string routePrefix = "api")
    {
        ArgumentNullException.ThrowIfNull(routes);
        var prefix = "/" + (routePrefix ?? string.Empty).Trim('/');
        var api = routes.MapGroup(prefix);
        var predict = api.MapPost("/models/{name}/predict", Predict.ExecuteAsync);
        var feedback = api.MapPost("/models/{name}/feedback", Feedback.ExecuteAsync);

        var health = routes.MapGroup("/v2/health");
        health.MapGet("/live", Live.ExecuteAsync);
        health.MapGet("/ready", Ready.ExecuteAsync);

        var v2 = routes.MapGroup("/v2");
        v2.MapGet("/", ServerMetadata.ExecuteAsync);
        foreach (var model in new[] { "/models/{name}", "/models/{name}/versions/{version}" })
        {
            v2.MapGet(model, ModelMetadata.ExecuteAsync);
            v2.MapGet(model + "/ready", ModelReady.ExecuteAsync);
            v2.MapPost(model + "/infer", Infer.ExecuteAsync);
        }

        return new ServingEndpointBuilders(predict, feedback, v2, health);
    }

    /// <summary><c>POST /api/models/{name}/predict</c>: for an HTTP function to return (it runs on the response).</summary>
    public static IResult Predict { get; } = new HandlerResult(context => MeasuredAsync(context, "predict", PredictAsync));

    /// <summary><c>POST /api/models/{name}/feedback</c>.</summary>
    public static IResult Feedback { get; } = new HandlerResult(context => ServingErrors.HandleAsync(context, FeedbackAsync));

    /// <summary><c>GET /v2</c>: the server's OIP metadata.</summary>
    public static IResult ServerMetadata { get; } = new HandlerResult(context => JsonResponses.WriteObjectAsync(context, new OipServerMetadata("serverless-mlops", ServerVersion, [])));

    /// <summary><c>GET /v2/health/live</c>.</summary>
    public static IResult Live { get; } = new HandlerResult(context => WriteFlagAsync(context, "live"));

    /// <summary><c>GET /v2/health/ready</c>.</summary>
    public static IResult Ready { get; } = new HandlerResult(context => WriteFlagAsync(context, "ready"));

    /// <summary><c>GET /v2/models/{name}[/versions/{version}]</c>.</summary>
    public static IResult ModelMetadata { get; } = new HandlerResult(context => ServingErrors.HandleAsync(context, MetadataAsync));

    /// <summary><c>GET /v2/models/{name}[/versions/{version}]/ready</c>.</summary>
    public static IResult ModelReady { get; } = new HandlerResult(context => ServingErrors.HandleAsync(context, ReadyAsync));

    /// <summary><c>POST /v2/models/{name}[/versions/{version}]/infer</c>.</summary>
    public static IResult Infer { get; } = new HandlerResult(context => MeasuredAsync(context, "infer", InferAsync));

    private static string ServerVersion => typeof(ServingEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Runs a scoring endpoint and records its duration, status and the version that answered.</summary>
    private static async Task MeasuredAsync(HttpContext context, string endpoint, Func<HttpContext, Task> handler)
    {
        var started = Stopwatch.GetTimestamp();
        await ServingErrors.HandleAsync(context, handler).ConfigureAwait(false);
        var telemetry = context.RequestServices.GetService<ServingTelemetry>();
        if (telemetry is null || !telemetry.ObservesRequests)
        {
            return;
        }

        var status = context.Response.StatusCode;
        int? version = int.TryParse(context.Response.Headers[ModelVersionHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var answered) ? answered : null;

        // An unknown or invalid model name is not a tag value (it would let any caller add series).
        var name = context.GetRouteValue("name") as string;
        var model = status == StatusCodes.Status404NotFound || StorageNames.DescribeInvalidResourceName("Model", name) is not null ? null : name;
        telemetry.RecordRequest(endpoint, model, version, status, Stopwatch.GetElapsedTime(started));
    }

    private static async Task PredictAsync(HttpContext context)
    {
        var name = ModelName(context);
        var query = context.Request.Query;
        var version = ParseVersion(query["version"]);
        string? alias = query["alias"];
        if (version is not null && alias is not null)
        {
            throw new ServingRequestException("Give either ?version= or ?alias=, not both.");
        }

        var options = Options(context);
        var body = await RequestBody.ReadAsync(context, options.MaxRequestBytes).ConfigureAwait(false);
        var service = context.RequestServices.GetRequiredService<PredictionService>();
        var result = await service.PredictAsync(name, alias, version, body, context.Request.ContentType, CorrelationId(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers[ModelVersionHeader] = result.Version.ToString(CultureInfo.InvariantCulture);
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer => PredictionResponseWriter.Write(writer, result)).ConfigureAwait(false);
    }

    private static async Task FeedbackAsync(HttpContext context)
    {
        var name = ModelName(context);
        var body = await RequestBody.ReadAsync(context, Options(context).MaxRequestBytes).ConfigureAwait(false);
        var items = FeedbackRequestReader.Read(body, FeedbackService.MaxItems);
        var result = await context.RequestServices.GetRequiredService<FeedbackService>().RecordAsync(name, items, context.RequestAborted).ConfigureAwait(false);
        await JsonResponses.WriteObjectAsync(context, result).ConfigureAwait(false);
    }

    private static async Task MetadataAsync(HttpContext context)
    {
        var service = context.RequestServices.GetRequiredService<OpenInferenceService>();
        var metadata = await service.GetMetadataAsync(ModelName(context), RouteVersion(context), context.RequestAborted).ConfigureAwait(false);
        await JsonResponses.WriteObjectAsync(context, metadata).ConfigureAwait(false);
    }

    private static async Task ReadyAsync(HttpContext context)
    {
        var service = context.RequestServices.GetRequiredService<OpenInferenceService>();
        var name = ModelName(context);
        var version = await service.GetReadyVersionAsync(name, RouteVersion(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers[ModelVersionHeader] = version.ToString(CultureInfo.InvariantCulture);
        await JsonResponses.WriteObjectAsync(context, new { name, ready = true }).ConfigureAwait(false);
    }

    private static async Task InferAsync(HttpContext context)
    {
        var name = ModelName(context);
        var version = RouteVersion(context);
        var body = await RequestBody.ReadAsync(context, Options(context).MaxRequestBytes).ConfigureAwait(false);
        using var request = OipInferenceRequest.Read(body);
        var service = context.RequestServices.GetRequiredService<OpenInferenceService>();
        var response = await service.InferAsync(name, version, request, CorrelationId(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers[ModelVersionHeader] = response.ModelVersion.ToString(CultureInfo.InvariantCulture);
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, response.Write).ConfigureAwait(false);
    }

    private static Task WriteFlagAsync(HttpContext context, string flag) =>
        JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean(flag, true);
            writer.WriteEndObject();
        });

    private static string ModelName(HttpContext context)
    {
        var name = context.GetRouteValue("name") as string;
        return StorageNames.DescribeInvalidResourceName("Model", name) is { } problem ? throw new ServingRequestException(problem) : name!;
    }

    private static int? RouteVersion(HttpContext context) => ParseVersion(context.GetRouteValue("version") as string);

    private static int? ParseVersion(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new ServingRequestException($"The version '{text}' is not a positive whole number.");
    }

    private static string? CorrelationId(HttpContext context) =>
        context.Request.Headers[CorrelationHeader].FirstOrDefault() ?? Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;

    /// <summary>A handler that writes the response itself, as a result an HTTP function returns.</summary>
    private sealed class HandlerResult(Func<HttpContext, Task> handler) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => handler(httpContext);
    }

    private static ServingOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<ServingOptions>>().Value;
}
