using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Functions.Monitoring;

/// <summary>
/// Admin API of webhook subscriptions: <c>POST /api/webhooks</c> (<c>{ "url", "secret", "eventTypes": [...] }</c>; 201
/// without the secret, which is stored encrypted; 500 naming <c>Product:Webhooks:SecretKey</c> when no key is set),
/// <c>GET /api/webhooks</c> (never with secrets), <c>DELETE /api/webhooks/{id}</c>.
/// </summary>
public sealed class WebhookFunctions(WebhookSubscriptionStore subscriptions)
{
    [Function("AddWebhook")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> AddAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        AddWebhookBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<AddWebhookBody>(request.Body, MonitoringJson.Options, context.CancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return MonitoringJson.Error(StatusCodes.Status400BadRequest, $"The body must be JSON like {{\"url\": \"https://...\", \"secret\": \"...\", \"eventTypes\": [\"drift.detected\"]}}: {e.Message}");
        }

        if (body?.Url is null || !Uri.TryCreate(body.Url, UriKind.Absolute, out var url))
        {
            return MonitoringJson.Error(StatusCodes.Status400BadRequest, $"Field 'url' must be an absolute http(s) URL; it is '{body?.Url}'.");
        }

        try
        {
            var record = await subscriptions.AddAsync(new WebhookSubscription(url, body.Secret ?? string.Empty, body.EventTypes), context.CancellationToken).ConfigureAwait(false);
            return MonitoringJson.Json(record, StatusCodes.Status201Created);
        }
        catch (ArgumentException e)
        {
            return MonitoringJson.Error(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (WebhookSecretException e)
        {
            return MonitoringJson.Error(StatusCodes.Status500InternalServerError, e.Message);
        }
    }

    [Function("ListWebhooks")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/webhooks")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return MonitoringJson.Json(new { webhooks = await subscriptions.ListAsync(context.CancellationToken).ConfigureAwait(false) });
    }

    [Function("RemoveWebhook")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> RemoveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/webhooks/{id}")] HttpRequest request,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var id = (string)request.RouteValues["id"]!;
        return await subscriptions.RemoveAsync(id, context.CancellationToken).ConfigureAwait(false)
            ? Results.NoContent()
            : MonitoringJson.Error(StatusCodes.Status404NotFound, $"There is no webhook subscription '{id}'.");
    }

    private sealed record AddWebhookBody(string? Url, string? Secret, IReadOnlyList<string>? EventTypes);
}
