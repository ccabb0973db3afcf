using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Webhooks;
using Serverless.Testing;

namespace Serverless.Monitoring.Tests.Webhooks;

/// <summary>A receiver's <c>Retry-After</c> on 429/503 sets the wait before the next attempt, capped by the max backoff.</summary>
public sealed class WebhookRetryAfterTests : WebhookReceiverTest
{
    private const string Secret = "retry-after-secret";
    [Fact]
    public async Task Retry_after_seconds_on_503_is_waited_instead_of_the_backoff()
    {
        Receiver.Script("seconds", new WebhookReply(503, "1"), new WebhookReply(200));
        var delivery = await SendAsync("seconds", maxDelay: TimeSpan.FromSeconds(10));

        Assert.True(delivery.Delivered);
        var (first, second) = Attempts("seconds");
        Assert.InRange(second - first, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5)); // the backoff alone is 20 ms
    }

    [Fact]
    public async Task Retry_after_date_on_429_is_capped_by_the_max_delay()
    {
        var date = DateTimeOffset.UtcNow.AddSeconds(30).ToString("R", CultureInfo.InvariantCulture);
        Receiver.Script("date", new WebhookReply(429, date), new WebhookReply(204));
        var delivery = await SendAsync("date", maxDelay: TimeSpan.FromMilliseconds(600));

        Assert.True(delivery.Delivered);
        Assert.Equal(2, delivery.Attempts);
        var (first, second) = Attempts("date");
        Assert.InRange(second - first, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3)); // waited, but not 30 s
    }

    [Fact]
    public async Task Retry_after_on_other_statuses_is_ignored()
    {
        Receiver.Script("error", new WebhookReply(500, "5"), new WebhookReply(200));
        var delivery = await SendAsync("error", maxDelay: TimeSpan.FromSeconds(10));

        Assert.True(delivery.Delivered);
        var (first, second) = Attempts("error");
        Assert.True(second - first < TimeSpan.FromSeconds(2), $"waited {second - first} after a 500 with Retry-After: 5");
    }

    private Task<WebhookDelivery> SendAsync(string hook, TimeSpan maxDelay) =>
        new WebhookSender(
            Http,
            Options.Create(new WebhookOptions { MaxRetryAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = maxDelay, UseJitter = false }),
            TimeProvider.System,
            NullLogger<WebhookSender>.Instance)
        .SendAsync(
            new WebhookSubscription(Receiver.Url(hook), Secret),
            WebhookEvent.Create(WebhookEventTypes.DriftDetected, "models/churn/versions/1", new { drift = true }, TimeProvider.System),
            CancellationToken.None);

    private (DateTimeOffset First, DateTimeOffset Second) Attempts(string hook)
    {
        var received = Receiver.For(hook);
        Assert.Equal(2, received.Length);
        Assert.All(received, r => Assert.True(WebhookSignature.Verify(Secret, r.Body, r.Headers)));
        return (received[0].At, received[1].At);
    }
}
