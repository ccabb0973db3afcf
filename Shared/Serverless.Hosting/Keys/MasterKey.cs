using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;

namespace Serverless.Hosting.Keys;

/// <summary>The configured master key (setting <c>MasterKey</c>), compared by hash; without one, the stored generated key counts.</summary>
public sealed class MasterKey(IOptions<KeysOptions> options)
{
    private readonly byte[]? _configuredHash = string.IsNullOrEmpty(options.Value.MasterKey)
        ? null
        : Encoding.ASCII.GetBytes(KeySecrets.Hash(options.Value.MasterKey));

    public bool IsConfigured => _configuredHash is not null;

    /// <summary>Whether the stored (generated) master key is honoured: only when none is configured.</summary>
    public bool AcceptsStored => !IsConfigured;

    public bool Matches(string hash) =>
        _configuredHash is not null && CryptographicOperations.FixedTimeEquals(_configuredHash, Encoding.ASCII.GetBytes(hash));
}
