using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Monitoring.Webhooks;
using Serverless.Registry;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>Alias changes through the management API become exactly one signed <c>alias.changed</c> webhook each, via the registry's outbox and the host's dispatcher.</summary>
public sealed class AliasEventTests(MonitoringHost host) : IClassFixture<MonitoringHost>
{
    [Fact]
    public async Task A_manual_alias_put_and_a_rollback_each_produce_exactly_one_signed_alias_changed_with_versions()
    {
        await using var receiver = await SignedWebhooks.StartRefusingFirstAttemptsAsync("alias");
        var admin = host.CreateClient();
        var added = await admin.PostAsJsonAsync("api/webhooks", new { url = receiver.Url("alias"), secret = SignedWebhooks.Secret, eventTypes = new[] { WebhookEventTypes.AliasChanged } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var webhookId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await TestModelVersions.RegisterAsync(host.Services.GetRequiredService<ModelRegistry>(), "aliasput", 2, DateTimeOffset.UtcNow);

        using var put = new HttpRequestMessage(HttpMethod.Put, "api/models/aliasput/aliases/production") { Content = JsonContent.Create(new { version = 1, reason = "first" }) };
        put.Headers.Add("x-correlation-id", "corr-put-1");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("api/models/aliasput/aliases/production", new { version = 2, reason = "better" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("api/models/aliasput/aliases/production?reason=bad%20canary")).StatusCode);

        await MonitoringHost.WaitUntilAsync(() => Task.FromResult(Changes(receiver).Count == 3), "three alias.changed deliveries");
        await Task.Delay(TimeSpan.FromSeconds(4)); // two more dispatcher ticks: nothing is announced twice
        var changes = Changes(receiver);
        Assert.Equal(3, changes.Count);
        Assert.Equal(3, changes.Select(c => c.Delivery.Id).Distinct().Count());
        Assert.All(changes, c => Assert.Equal(2, receiver.Attempts("alias", c.Delivery.Id))); // refused once, then accepted once
        Assert.All(changes, c => Assert.Equal(c.Delivery.Id, c.Delivery.Request.Headers[WebhookSignature.IdempotencyKeyHeader]));
        Assert.Equal(0, receiver.BadSignatures("alias"));

        var ordered = changes.OrderBy(c => c.Data.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal((JsonValueKind.Null, 1, "corr-put-1", false), Summary(ordered[0].Data));
        Assert.Equal(2, ordered[1].Data.GetProperty("toVersion").GetInt32());
        Assert.Equal(1, ordered[1].Data.GetProperty("fromVersion").GetInt32());
        Assert.Equal((2, 1, true), (ordered[2].Data.GetProperty("fromVersion").GetInt32(), ordered[2].Data.GetProperty("toVersion").GetInt32(), ordered[2].Data.GetProperty("isRollback").GetBoolean()));
        Assert.Equal("bad canary", ordered[2].Data.GetProperty("reason").GetString());
        Assert.All(ordered, c => Assert.Equal("production", c.Data.GetProperty("alias").GetString()));
        Assert.All(ordered, c => Assert.Equal("models/aliasput/aliases/production", c.Subject));
        Assert.All(ordered, c => Assert.False(string.IsNullOrEmpty(c.Data.GetProperty("actor").GetString())));

        // The event ids are the audit log's, and the outbox is empty once delivered.
        var audit = await host.Services.GetRequiredService<ModelRegistry>().GetAuditLogAsync("aliasput", "production");
        Assert.Equal(audit.Select(a => a.EventId).Order(), changes.Select(c => c.Delivery.Id).Order());
        await MonitoringHost.WaitUntilAsync(async () => (await host.Services.GetRequiredService<ModelAliasOutbox>().ListPendingAsync()).All(p => p.Change.Model != "aliasput"), "an empty outbox");

        // The subscription's row holds no plaintext secret.
        var row = await host.Services.GetRequiredService<ITableStore>().GetAsync(host.Host.Options.ProductPrefix + "WebhookSubscriptions", "webhook", webhookId);
        Assert.NotNull(row);
        Assert.DoesNotContain(row.Properties.Values, v => (v?.ToString() ?? string.Empty).Contains(SignedWebhooks.Secret, StringComparison.Ordinal));
        Assert.Equal(WebhookSecretProtector.Format, row.GetString("SecretFormat"));
    }

    private List<(SignedDelivery Delivery, string Subject, JsonElement Data)> Changes(WebhookReceiver receiver) =>
        receiver.Delivered("alias")
            .Where(d => d.Type == WebhookEventTypes.AliasChanged)
            .Select(d =>
            {
                var body = JsonDocument.Parse(d.Body).RootElement;
                return (d, body.GetProperty("subject").GetString()!, body.GetProperty("data"));
            })
            .Where(c => c.Item3.GetProperty("model").GetString() == "aliasput")
            .ToList();

    private static (JsonValueKind From, int To, string? Correlation, bool Rollback) Summary(JsonElement data) =>
        (data.GetProperty("fromVersion").ValueKind, data.GetProperty("toVersion").GetInt32(), data.GetProperty("correlationId").GetString(), data.GetProperty("isRollback").GetBoolean());
}
