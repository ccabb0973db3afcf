using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Serverless.DurableTask.Http;

/// <summary>
/// Durable Functions' HTTP management API under <c>/runtime/webhooks/durabletask</c>, over the registered
/// <see cref="DurableTaskClient"/>. The host adds authentication (admin key) to the returned group.
/// </summary>
public static class DurableManagementEndpoints
{
    public const string ContinuationHeader = "x-ms-continuation-token";

    public static RouteGroupBuilder MapDurableTaskManagementApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup(DurableHttpResponses.RoutePrefix);
        group.MapGet("/instances/{instanceId}", GetStatusAsync);
        group.MapGet("/instances", QueryAsync);
        group.MapPost("/instances/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync);
        group.MapPost("/instances/{instanceId}/terminate", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            ControlAsync(instanceId, client, c => c.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions { Output = reason }, ct), ct));
        group.MapPost("/instances/{instanceId}/suspend", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            ControlAsync(instanceId, client, c => c.SuspendInstanceAsync(instanceId, reason, ct), ct));
        group.MapPost("/instances/{instanceId}/resume", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            ControlAsync(instanceId, client, c => c.ResumeInstanceAsync(instanceId, reason, ct), ct));
        group.MapDelete("/instances/{instanceId}", PurgeAsync);
        group.MapDelete("/instances", PurgeAllAsync);
        return group;
    }

    private static async Task<IResult> GetStatusAsync(
        string instanceId, HttpRequest request, DurableTaskClient client, CancellationToken ct,
        bool showHistory = false, bool showHistoryOutput = false, bool showInput = true, bool returnInternalServerErrorOnFailure = false)
    {
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct).ConfigureAwait(false);
        if (metadata is null)
        {
            return Results.NotFound();
        }

        IReadOnlyList<HistoryEventResponse>? history = null;
        if (showHistory)
        {
            history = DurableHttpHistory.ToResponses(await client.GetOrchestrationHistoryAsync(instanceId, ct).ConfigureAwait(false), showHistoryOutput);
        }

        var body = DurableHttpResponses.ToStatus(metadata, showInput, history);
        if (metadata.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended)
        {
            var location = DurableHttpResponses.CreateHttpManagementPayload(request, instanceId).StatusQueryGetUri;
            return DurableHttpResponses.WithLocation(location, Results.Json(body, statusCode: StatusCodes.Status202Accepted));
        }

        var status = returnInternalServerErrorOnFailure && metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed
            ? StatusCodes.Status500InternalServerError
            : StatusCodes.Status200OK;
        return Results.Json(body, statusCode: status);
    }

    private static async Task<IResult> QueryAsync(HttpRequest request, HttpResponse response, DurableTaskClient client, CancellationToken ct)
    {
        var q = request.Query;
        var query = new OrchestrationQuery { FetchInputsAndOutputs = ParseBool(q["showInput"]) ?? false };
        if (q["runtimeStatus"].ToString() is { Length: > 0 } statuses)
        {
            var parsed = new List<OrchestrationRuntimeStatus>();
            foreach (var s in statuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<OrchestrationRuntimeStatus>(s, ignoreCase: true, out var status) || int.TryParse(s, out _))
                {
                    return Results.BadRequest(new { error = $"Query parameter 'runtimeStatus' has an unknown status '{s}'; use {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}." });
                }

                parsed.Add(status);
            }

            query = query with { Statuses = parsed };
        }

        foreach (var (name, apply) in new (string, Func<DateTimeOffset, OrchestrationQuery>)[]
        {
            ("createdTimeFrom", d => query with { CreatedFrom = d }),
            ("createdTimeTo", d => query with { CreatedTo = d }),
        })
        {
            if (q[name].ToString() is { Length: > 0 } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                {
                    return Results.BadRequest(new { error = $"Query parameter '{name}' is not a date-time: '{text}'." });
                }

                query = apply(date);
            }
        }

        if (q["top"].ToString() is { Length: > 0 } top)
        {
            if (!int.TryParse(top, CultureInfo.InvariantCulture, out var size) || size < 1 || size > 1000)
            {
                return Results.BadRequest(new { error = $"Query parameter 'top' must be a whole number from 1 to 1000, not '{top}'." });
            }

            query = query with { PageSize = size };
        }

        if (q["instanceIdPrefix"].ToString() is { Length: > 0 } prefix)
        {
            query = query with { InstanceIdPrefix = prefix };
        }

        if (request.Headers[ContinuationHeader].ToString() is { Length: > 0 } token)
        {
            query = query with { ContinuationToken = token };
        }

        Page<OrchestrationMetadata>? page;
        try
        {
            page = await FirstPageAsync(client, query, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }

        if (page?.ContinuationToken is { Length: > 0 } next)
        {
            response.Headers[ContinuationHeader] = next;
        }

        return Results.Ok((page?.Values ?? []).Select(m => DurableHttpResponses.ToStatus(m, query.FetchInputsAndOutputs, null)).ToList());
    }

    /// <summary>The one page the request asks for: from its continuation token, at most <c>top</c> instances.</summary>
    private static async Task<Page<OrchestrationMetadata>?> FirstPageAsync(DurableTaskClient client, OrchestrationQuery query, CancellationToken ct)
    {
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(ct).ConfigureAwait(false))
        {
            return page;
        }

        return null;
    }

    private static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        JsonElement? payload = null;
        using (var reader = new StreamReader(request.Body))
        {
            var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            if (text.Length > 0)
            {
                try
                {
                    using var document = JsonDocument.Parse(text);
                    payload = document.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    return Results.BadRequest(new { error = $"The body of event '{eventName}' is not valid JSON: {e.Message}" });
                }
            }
        }

        return await ControlAsync(instanceId, client, c => c.RaiseEventAsync(instanceId, eventName, payload, ct), ct).ConfigureAwait(false);
    }

    private static async Task<IResult> ControlAsync(string instanceId, DurableTaskClient client, Func<DurableTaskClient, Task> action, CancellationToken ct)
    {
        var metadata = await client.GetInstanceAsync(instanceId, cancellation: ct).ConfigureAwait(false);
        if (metadata is null)
        {
            return Results.NotFound();
        }

        if (metadata.IsCompleted)
        {
            return Results.StatusCode(StatusCodes.Status410Gone);
        }

        await action(client).ConfigureAwait(false);
        return Results.Accepted();
    }

    private static async Task<IResult> PurgeAsync(string instanceId, DurableTaskClient client, CancellationToken ct)
    {
        var metadata = await client.GetInstanceAsync(instanceId, cancellation: ct).ConfigureAwait(false);
        if (metadata is null)
        {
            return Results.NotFound();
        }

        if (!metadata.IsCompleted)
        {
            return Results.Conflict(new { error = $"Instance '{instanceId}' is {metadata.RuntimeStatus}; only completed, failed or terminated instances can be purged." });
        }

        var result = await client.PurgeInstanceAsync(instanceId, ct).ConfigureAwait(false);
        return Results.Ok(new PurgeHistoryResponse(result.PurgedInstanceCount));
    }

    private static async Task<IResult> PurgeAllAsync(HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        var q = request.Query;
        DateTimeOffset? from = null, to = null;
        if (q["createdTimeFrom"].ToString() is { Length: > 0 } f)
        {
            if (!DateTimeOffset.TryParse(f, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d))
            {
                return Results.BadRequest(new { error = $"Query parameter 'createdTimeFrom' is not a date-time: '{f}'." });
            }

            from = d;
        }
        else
        {
            return Results.BadRequest(new { error = "Query parameter 'createdTimeFrom' is required to purge by filter." });
        }

        if (q["createdTimeTo"].ToString() is { Length: > 0 } t)
        {
            if (!DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d))
            {
                return Results.BadRequest(new { error = $"Query parameter 'createdTimeTo' is not a date-time: '{t}'." });
            }

            to = d;
        }

        List<OrchestrationRuntimeStatus>? statuses = null;
        if (q["runtimeStatus"].ToString() is { Length: > 0 } text)
        {
            statuses = [];
            foreach (var s in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<OrchestrationRuntimeStatus>(s, ignoreCase: true, out var status) || int.TryParse(s, out _))
                {
                    return Results.BadRequest(new { error = $"Query parameter 'runtimeStatus' has an unknown status '{s}'." });
                }

                statuses.Add(status);
            }
        }

        var result = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(from, to, statuses), ct).ConfigureAwait(false);
        return result.PurgedInstanceCount == 0 ? Results.NotFound() : Results.Ok(new PurgeHistoryResponse(result.PurgedInstanceCount));
    }

    private static bool? ParseBool(string? value) => bool.TryParse(value, out var b) ? b : null;
}
