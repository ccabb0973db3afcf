namespace Serverless.Monitoring.Webhooks;

/// <summary>How webhook secrets are kept at rest (section <c>Product:Webhooks</c>).</summary>
public sealed class WebhookSecretOptions
{
    public const string SectionName = "Product:Webhooks";

    /// <summary>The setting's full name, for messages.</summary>
    public const string SecretKeySetting = SectionName + ":" + nameof(SecretKey);

    /// <summary>
    /// The AES-256-GCM key that encrypts webhook secrets in their table: base64 of 32 random bytes. When unset on a
    /// development machine the host generates one at first start and saves it next to the master key file.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>The key's bytes, or <c>null</c> when unset.</summary>
    /// <exception cref="ArgumentException">The key is not base64 of exactly 32 bytes.</exception>
    public byte[]? KeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SecretKey))
        {
            return null;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(SecretKey.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{SecretKeySetting} must be base64 (of 32 random bytes); it is not valid base64.", nameof(SecretKey));
        }

        return key.Length == 32
            ? key
            : throw new ArgumentException($"{SecretKeySetting} must be base64 of exactly 32 bytes; it decodes to {key.Length} bytes.", nameof(SecretKey));
    }

    /// <summary>A new random key in the setting's format.</summary>
    public static string GenerateKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
