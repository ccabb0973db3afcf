using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Drift;
using Serverless.Monitoring.Webhooks;
using Serverless.Testing;

namespace Serverless.Monitoring.Tests.Webhooks;

public sealed class WebhookSenderTests : WebhookReceiverTest
{
    private const string Secret = "s3cr3t-shared-with-the-receiver";
    private WebhookSender Sender(int retries = 4) => new(
        Http,
        Options.Create(new WebhookOptions { MaxRetryAttempts = retries, BaseDelay = TimeSpan.FromMilliseconds(20), UseJitter = false, AttemptTimeout = TimeSpan.FromSeconds(5) }),
        TimeProvider.System,
        NullLogger<WebhookSender>.Instance);

    private static WebhookEvent DriftEvent() => WebhookEvent.Create(
        WebhookEventTypes.DriftDetected, "models/churn/versions/3", new { datasetDrift = true, driftedFeatures = new[] { "x1", "x4" } }, TimeProvider.System);

    [Fact]
    public async Task Delivers_a_signed_json_event_that_the_receiver_verifies()
    {
        var webhookEvent = DriftEvent();
        var delivery = await Sender().SendAsync(new WebhookSubscription(Receiver.Url("ok"), Secret), webhookEvent, CancellationToken.None);

        Assert.True(delivery.Delivered);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(200, delivery.StatusCode);
        var received = Assert.Single(Receiver.For("ok"));
        Assert.True(WebhookSignature.Verify(Secret, received.Body, received.Headers));
        Assert.Equal(webhookEvent.Id, received.Headers[WebhookSignature.EventIdHeader]);
        Assert.Equal(webhookEvent.Id, received.Headers[WebhookSignature.IdempotencyKeyHeader]);
        Assert.Equal("drift.detected", received.Headers[WebhookSignature.EventTypeHeader]);
        Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(received.Body);
        Assert.Equal(["id", "type", "time", "subject", "data"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("drift.detected", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("models/churn/versions/3", json.RootElement.GetProperty("subject").GetString());
        Assert.True(json.RootElement.GetProperty("data").GetProperty("datasetDrift").GetBoolean());
    }

    [Fact]
    public async Task Tampering_a_wrong_secret_or_a_stale_timestamp_fail_verification()
    {
        await Sender().SendAsync(new WebhookSubscription(Receiver.Url("verify"), Secret), DriftEvent(), CancellationToken.None);
        var received = Assert.Single(Receiver.For("verify"));
        var signature = received.Headers[WebhookSignature.SignatureHeader];
        var timestamp = received.Headers[WebhookSignature.TimestampHeader];
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
        Assert.True(WebhookSignature.Verify(Secret, received.Body, signature, timestamp, sentAt, TimeSpan.FromMinutes(5)));

        var tampered = (byte[])received.Body.Clone();
        tampered[^2] ^= 1;
        Assert.False(WebhookSignature.Verify(Secret, tampered, signature, timestamp, sentAt, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("another-secret", received.Body, signature, timestamp, sentAt, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, received.Body, signature, timestamp, sentAt.AddMinutes(6), TimeSpan.FromMinutes(5)));
        // The timestamp is signed: moving it forward to look fresh breaks the signature.
        var replayed = (long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) + 600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(WebhookSignature.Verify(Secret, received.Body, signature, replayed, sentAt.AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, received.Body, null, timestamp, sentAt, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, received.Body, "sha256=zz", timestamp, sentAt, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void The_signature_is_the_hmac_of_timestamp_dot_body()
    {
        // HMAC-SHA256(key "key", "1700000000.{}") computed independently with the framework's HMACSHA256.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("key"u8, "1700000000.{}"u8));
        Assert.Equal("sha256=" + expected, WebhookSignature.Sign("key", 1_700_000_000, "{}"u8));
    }

    [Fact]
    public async Task A_receiver_failing_twice_with_503_gets_three_attempts()
    {
        Receiver.Script("flaky", 503, 503, 200);
        var webhookEvent = DriftEvent();
        var delivery = await Sender().SendAsync(new WebhookSubscription(Receiver.Url("flaky"), Secret), webhookEvent, CancellationToken.None);

        Assert.True(delivery.Delivered);
        Assert.Equal(3, delivery.Attempts);
        var received = Receiver.For("flaky");
        Assert.Equal(3, received.Length);
        Assert.All(received, r =>
        {
            Assert.Equal(webhookEvent.Id, r.Headers[WebhookSignature.EventIdHeader]);
            Assert.True(WebhookSignature.Verify(Secret, r.Body, r.Headers));
        });
    }

    [Fact]
    public async Task Too_many_requests_is_retried()
    {
        Receiver.Script("busy", 429, 204);
        var delivery = await Sender().SendAsync(new WebhookSubscription(Receiver.Url("busy"), Secret), DriftEvent(), CancellationToken.None);
        Assert.True(delivery.Delivered);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(204, delivery.StatusCode);
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        Receiver.Script("bad", 400);
        var delivery = await Sender().SendAsync(new WebhookSubscription(Receiver.Url("bad"), Secret), DriftEvent(), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(400, delivery.StatusCode);
        Assert.Single(Receiver.For("bad"));
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_number()
    {
        Receiver.Script("down", 500);
        var delivery = await Sender(retries: 2).SendAsync(new WebhookSubscription(Receiver.Url("down"), Secret), DriftEvent(), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(500, delivery.StatusCode);
        Assert.Equal(3, Receiver.For("down").Length);
    }

    [Fact]
    public async Task Network_errors_are_retried_then_reported()
    {
        // A port that was free a moment ago and has no listener: connection refused on every attempt.
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var delivery = await Sender(retries: 2).SendAsync(new WebhookSubscription(new Uri($"http://127.0.0.1:{port}/hooks"), Secret), DriftEvent(), CancellationToken.None);
        Assert.False(delivery.Delivered);
        Assert.Equal(3, delivery.Attempts);
        Assert.Null(delivery.StatusCode);
        Assert.Contains("HttpRequestException", delivery.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_sends_only_to_subscriptions_of_the_event_type()
    {
        var subscriptions = new[]
        {
            new WebhookSubscription(Receiver.Url("all"), Secret),
            new WebhookSubscription(Receiver.Url("drift"), "other-secret", [WebhookEventTypes.DriftDetected]),
            new WebhookSubscription(Receiver.Url("runs"), Secret, [WebhookEventTypes.RunCompleted, WebhookEventTypes.RunFailed]),
        };

        var deliveries = await Sender().PublishAsync(subscriptions, DriftEvent(), CancellationToken.None);

        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.True(d.Delivered));
        Assert.Single(Receiver.For("all"));
        var drift = Assert.Single(Receiver.For("drift"));
        Assert.True(WebhookSignature.Verify("other-secret", drift.Body, drift.Headers));
        Assert.Empty(Receiver.For("runs"));
    }

    [Fact]
    public async Task Caller_cancellation_is_thrown_not_retried()
    {
        Receiver.Script("cancel", 503);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Sender().SendAsync(new WebhookSubscription(Receiver.Url("cancel"), Secret), DriftEvent(), cancellation.Token));
    }

    [Fact]
    public void Bad_subscriptions_and_event_types_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => WebhookEvent.Create("drift.happened", "s", 1, TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new WebhookSubscription(new Uri("ftp://example.org/x"), Secret).Validate());
        Assert.Throws<ArgumentException>(() => new WebhookSubscription(new Uri("https://example.org/x"), "").Validate());
        Assert.Throws<ArgumentException>(() => new WebhookSubscription(new Uri("https://example.org/x"), Secret, ["run.exploded"]).Validate());
    }

    [Fact]
    public async Task Dependency_injection_wires_options_the_typed_client_and_the_analyzer()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitoring:Drift:DriftShare"] = "0.3",
            ["Monitoring:Webhooks:MaxRetryAttempts"] = "1",
            ["Monitoring:Webhooks:BaseDelay"] = "00:00:00.010",
            ["Product:Webhooks:AllowPrivateNetworks"] = "true", // the receiver is on loopback
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddMonitoring();
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(0.3, provider.GetRequiredService<IOptions<DriftOptions>>().Value.DriftShare);
        Assert.NotNull(provider.GetRequiredService<DriftAnalyzer>());

        Receiver.Script("di", 503, 503, 200);
        var delivery = await provider.GetRequiredService<WebhookSender>()
            .SendAsync(new WebhookSubscription(Receiver.Url("di"), Secret), DriftEvent(), CancellationToken.None);
        Assert.False(delivery.Delivered); // one retry allowed: 503, 503
        Assert.Equal(2, delivery.Attempts);
    }
}
