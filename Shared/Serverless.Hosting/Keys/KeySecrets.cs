using System.Security.Cryptography;
using System.Text;

namespace Serverless.Hosting.Keys;

/// <summary>Key generation (256 random bits) and the hash keys are stored and looked up by.</summary>
public static class KeySecrets
{
    public static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lowercase hex SHA-256 of the key; a high-entropy key needs no salt or stretching.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
