using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// POSTs signed webhook events (see <see cref="WebhookSignature"/> for the scheme). Network errors, attempt
/// timeouts, 5xx and 429 answers are retried with exponential backoff up to
/// <see cref="WebhookOptions.MaxRetryAttempts"/> times, except that a 429 or 503 with <c>Retry-After</c> (seconds or an
/// HTTP date) waits that long instead, at most <see cref="WebhookOptions.MaxDelay"/>; other 4xx answers are final.
/// Every attempt carries the event id in <c>x-mlops-event-id</c> and <c>Idempotency-Key</c>. A failed delivery is reported
/// in the returned <see cref="WebhookDelivery"/> (and logged, by subscription id: URLs are never logged), not thrown;
/// cancellation is thrown. A destination refused by <see cref="WebhookDestinationPolicy"/> (the client's handler in DI) is
/// final, not retried. Response bodies are not read (headers only; see <see cref="WebhookDestinationPolicy.MaxResponseBytes"/>).
/// </summary>
public sealed class WebhookSender
{
    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(HttpClient http, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _options.Validate();
        _http = http;
        _time = time;
        _logger = logger;
    }

    /// <summary>Delivers <paramref name="webhookEvent"/> to every subscription that accepts its type, concurrently.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> PublishAsync(IEnumerable<WebhookSubscription> subscriptions, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var sends = subscriptions.Where(s => s.Accepts(webhookEvent.Type)).Select(s => SendAsync(s, webhookEvent, cancellationToken));
        return await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <summary>Delivers one event to one subscription, with retries.</summary>
    public async Task<WebhookDelivery> SendAsync(WebhookSubscription subscription, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(webhookEvent);
        subscription.Validate();
        var body = webhookEvent.ToUtf8Json();
        var attempts = 0;
        var pipeline = BuildPipeline(subscription, webhookEvent);
        try
        {
            using var response = await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = CreateRequest(subscription, webhookEvent, body);
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);

            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                WebhookLog.Delivered(_logger, webhookEvent.Type, webhookEvent.Id, LogName(subscription), status, attempts);
                return new WebhookDelivery(subscription.Url, webhookEvent.Id, webhookEvent.Type, true, attempts, status, null);
            }

            var reason = $"HTTP {status} {response.ReasonPhrase}";
            WebhookLog.Failed(_logger, webhookEvent.Type, webhookEvent.Id, LogName(subscription), attempts, reason);
            return new WebhookDelivery(subscription.Url, webhookEvent.Id, webhookEvent.Type, false, attempts, status, reason);
        }
        catch (Exception exception) when (IsTransient(exception, cancellationToken) || Refusal(exception) is not null)
        {
            var reason = Describe(exception);
            WebhookLog.Failed(_logger, webhookEvent.Type, webhookEvent.Id, LogName(subscription), attempts, reason);
            return new WebhookDelivery(subscription.Url, webhookEvent.Id, webhookEvent.Type, false, attempts, null, reason);
        }
    }

    private HttpRequestMessage CreateRequest(WebhookSubscription subscription, WebhookEvent webhookEvent, byte[] body)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(subscription.Secret, timestamp, body));
        request.Headers.Add(WebhookSignature.EventIdHeader, webhookEvent.Id);
        request.Headers.Add(WebhookSignature.EventTypeHeader, webhookEvent.Type);
        request.Headers.Add(WebhookSignature.IdempotencyKeyHeader, webhookEvent.Id);
        return request;
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(WebhookSubscription subscription, WebhookEvent webhookEvent)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        if (_options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetryAttempts,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = _options.UseJitter,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response) : null),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception
                    ? IsTransient(exception, args.Context.CancellationToken)
                    : IsTransient(args.Outcome.Result!.StatusCode)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception is { } exception
                        ? Describe(exception)
                        : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    WebhookLog.Retrying(_logger, webhookEvent.Type, webhookEvent.Id, LogName(subscription), args.AttemptNumber + 1, reason, args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.AddTimeout(_options.AttemptTimeout).Build();
    }

    /// <summary>
    /// The receiver's <c>Retry-After</c> on a 429 or 503 (seconds or an HTTP date), capped by
    /// <see cref="WebhookOptions.MaxDelay"/>; <c>null</c> (use the backoff) when absent or for other statuses.
    /// </summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        var wait = header.Delta ?? (header.Date is { } date ? date - _time.GetUtcNow() : null);
        if (wait is not { } delay)
        {
            return null;
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > _options.MaxDelay ? _options.MaxDelay : delay;
    }

    private static bool IsTransient(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    /// <summary>Network errors and timeouts are transient; a refused destination and the caller's own cancellation are not.</summary>
    private static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        _ when Refusal(exception) is not null => false,
        HttpRequestException => true,
        TimeoutRejectedException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The destination policy's refusal behind a failed connection, if that is what it was.</summary>
    private static WebhookDestinationException? Refusal(Exception exception) =>
        exception as WebhookDestinationException ?? exception.InnerException as WebhookDestinationException;

    /// <summary>
    /// Why an attempt failed, without the URL or its host (network exceptions' messages name the host and port, so
    /// only their type and error kind are kept).
    /// </summary>
    private static string Describe(Exception exception) => exception switch
    {
        _ when Refusal(exception) is not null =>
            $"destination refused: the host resolves only to non-public addresses ({WebhookNetworkOptions.AllowPrivateNetworksSetting} is not set and this is not the Development environment)",
        HttpRequestException http => $"{nameof(HttpRequestException)} ({http.HttpRequestError})",
        _ => exception.GetType().Name,
    };

    /// <summary>How logs name a subscription: its id, never its URL (which may carry a token).</summary>
    private static string LogName(WebhookSubscription subscription) => subscription.Id ?? "(unsaved subscription)";
}
