using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;
using Serverless.Storage;
using Serverless.Testing;

namespace Serverless.Monitoring.Tests.Stores;

/// <summary>Webhook secrets at rest: encrypted in the table, legacy plaintext rows still sign and get encrypted, a wrong key is named.</summary>
public sealed class WebhookSubscriptionStoreTests(AzuriteFixture azurite) : WebhookReceiverTest, IClassFixture<AzuriteFixture>
{
    private const string Secret = "plain-shared-secret-0123456789";
    private static readonly string KeyA = WebhookSecretOptions.GenerateKey();
    private readonly MonitoringStorageNames _names = new() { WebhooksTable = AzuriteFixture.UniqueName("webhooks") };
    [Fact]
    public async Task The_stored_row_holds_no_plaintext_secret_yet_deliveries_are_signed_with_it()
    {
        var store = Store(KeyA);
        var record = await store.AddAsync(new WebhookSubscription(Receiver.Url("enc"), Secret, [WebhookEventTypes.AliasChanged]), CancellationToken.None);

        var row = await azurite.Storage.Tables.GetAsync(_names.WebhooksTable, "webhook", record.Id);
        Assert.NotNull(row);
        Assert.Equal(WebhookSecretProtector.Format, row.GetString("SecretFormat"));
        AssertNoPlaintext(row);

        var subscription = Assert.Single(await store.GetSigningSubscriptionsAsync(CancellationToken.None));
        Assert.Equal((record.Id, Secret), (subscription.Id, subscription.Secret));
        await AssertSignedDeliveryAsync(subscription, "enc");

        // Two stores of the same secret do not store the same bytes (fresh nonce), and listing never shows the secret.
        var again = await store.AddAsync(new WebhookSubscription(Receiver.Url("enc"), Secret), CancellationToken.None);
        Assert.NotEqual(row.GetString("Secret"), (await azurite.Storage.Tables.GetAsync(_names.WebhooksTable, "webhook", again.Id))!.GetString("Secret"));
        Assert.Equal(2, (await store.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_legacy_plaintext_row_still_signs_correctly_and_is_encrypted_when_read()
    {
        await azurite.Storage.Tables.CreateTableIfNotExistsAsync(_names.WebhooksTable);
        await azurite.Storage.Tables.AddAsync(_names.WebhooksTable, new TableEntity("webhook", "legacy1", new Dictionary<string, object?>
        {
            ["Url"] = Receiver.Url("legacy").ToString(),
            ["Secret"] = Secret,
            ["EventTypes"] = "[]",
            ["CreatedAt"] = DateTimeOffset.UtcNow,
        }));
        var store = Store(KeyA);

        var subscription = Assert.Single(await store.GetSigningSubscriptionsAsync(CancellationToken.None));
        Assert.Equal(Secret, subscription.Secret);
        await AssertSignedDeliveryAsync(subscription, "legacy");

        var row = (await azurite.Storage.Tables.GetAsync(_names.WebhooksTable, "webhook", "legacy1"))!;
        Assert.Equal(WebhookSecretProtector.Format, row.GetString("SecretFormat"));
        AssertNoPlaintext(row);
        Assert.Equal(Secret, Assert.Single(await Store(KeyA).GetSigningSubscriptionsAsync(CancellationToken.None)).Secret);
    }

    [Fact]
    public async Task A_wrong_key_names_the_webhook_and_the_setting_and_leaves_the_others_working()
    {
        var bad = await Store(KeyA).AddAsync(new WebhookSubscription(Receiver.Url("a"), Secret), CancellationToken.None);
        var otherKey = Store(WebhookSecretOptions.GenerateKey());
        var good = await otherKey.AddAsync(new WebhookSubscription(Receiver.Url("b"), "second-secret"), CancellationToken.None);

        var readable = Assert.Single(await otherKey.GetSigningSubscriptionsAsync(CancellationToken.None));
        Assert.Equal(good.Id, readable.Id);
        Assert.Equal(2, (await otherKey.ListAsync(CancellationToken.None)).Count);

        var error = await Assert.ThrowsAsync<WebhookSecretException>(() => otherKey.GetSigningSubscriptionAsync(bad.Id, CancellationToken.None));
        Assert.Contains(bad.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains(WebhookSecretOptions.SecretKeySetting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_adding_fails_naming_the_setting_and_bad_keys_are_rejected()
    {
        var error = await Assert.ThrowsAsync<WebhookSecretException>(() => Store(null).AddAsync(new WebhookSubscription(Receiver.Url("x"), Secret), CancellationToken.None));
        Assert.Contains(WebhookSecretOptions.SecretKeySetting, error.Message, StringComparison.Ordinal);

        Assert.Contains("32 bytes", Assert.Throws<ArgumentException>(() => new WebhookSecretOptions { SecretKey = Convert.ToBase64String(new byte[16]) }.KeyBytes()).Message, StringComparison.Ordinal);
        Assert.Contains("base64", Assert.Throws<ArgumentException>(() => new WebhookSecretOptions { SecretKey = "not base64!" }.KeyBytes()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ciphertext_moved_to_another_webhook_does_not_decrypt()
    {
        var protector = new WebhookSecretProtector(Options.Create(new WebhookSecretOptions { SecretKey = KeyA }));
        var stored = protector.Protect("hook-1", Secret);
        Assert.Equal(Secret, protector.Unprotect("hook-1", stored));
        Assert.Contains("hook-2", Assert.Throws<WebhookSecretException>(() => protector.Unprotect("hook-2", stored)).Message, StringComparison.Ordinal);
    }

    private WebhookSubscriptionStore Store(string? key) => new(
        azurite.Storage.Tables,
        _names,
        new WebhookSecretProtector(Options.Create(new WebhookSecretOptions { SecretKey = key })),
        TimeProvider.System,
        NullLogger<WebhookSubscriptionStore>.Instance,
        new WebhookDestinationPolicy(Options.Create(new WebhookNetworkOptions { AllowPrivateNetworks = true }), null)); // the receiver is on loopback

    private static void AssertNoPlaintext(TableEntity row)
    {
        var forms = new[] { Secret, Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)), Convert.ToHexString(Encoding.UTF8.GetBytes(Secret)) };
        foreach (var (name, value) in row.Properties)
        {
            var text = value?.ToString() ?? string.Empty;
            Assert.All(forms, form => Assert.DoesNotContain(form, text, StringComparison.OrdinalIgnoreCase));
        }
    }

    private async Task AssertSignedDeliveryAsync(WebhookSubscription subscription, string hook)
    {
        var sender = new WebhookSender(Http, Options.Create(new WebhookOptions { MaxRetryAttempts = 0 }), TimeProvider.System, NullLogger<WebhookSender>.Instance);
        var delivery = await sender.SendAsync(subscription, WebhookEvent.Create(WebhookEventTypes.AliasChanged, "models/m/aliases/production", new { toVersion = 1 }, TimeProvider.System), CancellationToken.None);
        Assert.True(delivery.Delivered);
        var received = Receiver.For(hook).Last();
        Assert.True(WebhookSignature.Verify(Secret, received.Body, received.Headers));
    }
}
