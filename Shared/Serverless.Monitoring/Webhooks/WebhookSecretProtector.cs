using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// Encrypts webhook secrets for storage with AES-256-GCM under <see cref="WebhookSecretOptions.SecretKey"/>. The stored
/// form is base64 of <c>nonce (12 bytes) | tag (16 bytes) | ciphertext</c>; the webhook id is the associated data, so a
/// ciphertext copied onto another webhook's row does not decrypt.
/// </summary>
public sealed class WebhookSecretProtector
{
    /// <summary>The format name stored beside an encrypted secret.</summary>
    public const string Format = "aes-256-gcm";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[]? _key;

    public WebhookSecretProtector(IOptions<WebhookSecretOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.Value.KeyBytes();
    }

    /// <summary>Whether a key is configured (without one, secrets cannot be stored).</summary>
    public bool HasKey => _key is not null;

    /// <summary>The stored form of <paramref name="secret"/> for webhook <paramref name="webhookId"/>.</summary>
    /// <exception cref="WebhookSecretException">No key is configured.</exception>
    public string Protect(string webhookId, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var key = _key ?? throw new WebhookSecretException($"Cannot store the secret of webhook '{webhookId}': {WebhookSecretOptions.SecretKeySetting} is not set (base64 of 32 random bytes).");
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(webhookId));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plaintext secret of webhook <paramref name="webhookId"/> from its stored form.</summary>
    /// <exception cref="WebhookSecretException">No key is configured, the key is not the one the secret was stored with, or the stored value is damaged.</exception>
    public string Unprotect(string webhookId, string stored)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        ArgumentNullException.ThrowIfNull(stored);
        var key = _key ?? throw new WebhookSecretException($"Cannot read the secret of webhook '{webhookId}': it is encrypted and {WebhookSecretOptions.SecretKeySetting} is not set.");
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(stored);
        }
        catch (FormatException e)
        {
            throw new WebhookSecretException($"The stored secret of webhook '{webhookId}' is damaged (not base64).", e);
        }

        if (sealedBytes.Length <= NonceSize + TagSize)
        {
            throw new WebhookSecretException($"The stored secret of webhook '{webhookId}' is damaged (too short: {sealedBytes.Length} bytes).");
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(webhookId));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new WebhookSecretException(
                $"The secret of webhook '{webhookId}' cannot be decrypted with the configured {WebhookSecretOptions.SecretKeySetting}: the key differs from the one it was stored with (or the row was altered). Restore that key, or remove and re-add the webhook.", e);
        }

        return Encoding.UTF8.GetString(plaintext);
    }
}
