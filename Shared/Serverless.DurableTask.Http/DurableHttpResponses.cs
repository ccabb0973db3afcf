using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Serverless.DurableTask.Http;

/// <summary>Builds Durable Functions' check-status response and status bodies.</summary>
public static class DurableHttpResponses
{
    /// <summary>The route prefix of the management API.</summary>
    public const string RoutePrefix = "/runtime/webhooks/durabletask";

    /// <summary>Absolute management URLs for <paramref name="instanceId"/>, from the request's scheme, host and path base.</summary>
    public static HttpManagementPayload CreateHttpManagementPayload(HttpRequest request, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var instance = $"{request.Scheme}://{request.Host}{request.PathBase}{RoutePrefix}/instances/{Uri.EscapeDataString(instanceId)}";
        return new HttpManagementPayload(
            instanceId,
            instance,
            instance + "/raiseEvent/{eventName}",
            instance + "/terminate?reason={text}",
            instance,
            instance + "/suspend?reason={text}",
            instance + "/resume?reason={text}");
    }

    /// <summary>202 Accepted with a <c>Location</c> header to the status URL and the management URLs as body.</summary>
    public static IResult CreateCheckStatusResponse(HttpRequest request, string instanceId)
    {
        var payload = CreateHttpManagementPayload(request, instanceId);
        return new LocatedResult(payload.StatusQueryGetUri, Results.Json(payload, statusCode: StatusCodes.Status202Accepted));
    }

    /// <summary>
    /// The instance in Durable Functions' status shape. A failed instance's <c>output</c> is its failure message, as
    /// Durable Functions shows it.
    /// </summary>
    internal static InstanceStatusResponse ToStatus(OrchestrationMetadata metadata, bool showInput, IReadOnlyList<HistoryEventResponse>? history) => new(
        metadata.Name,
        metadata.InstanceId,
        metadata.RuntimeStatus.ToString(),
        showInput ? Parse(metadata.SerializedInput) : null,
        Parse(metadata.SerializedCustomStatus),
        metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && metadata.FailureDetails is { } failure
            ? JsonSerializer.SerializeToElement(failure.ErrorMessage)
            : Parse(metadata.SerializedOutput),
        metadata.CreatedAt,
        metadata.LastUpdatedAt)
    {
        HistoryEvents = history,
    };

    internal static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }

    /// <summary>Adds a <c>Location</c> header to another result.</summary>
    private sealed class LocatedResult(string location, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }

    internal static IResult WithLocation(string location, IResult inner) => new LocatedResult(location, inner);
}
