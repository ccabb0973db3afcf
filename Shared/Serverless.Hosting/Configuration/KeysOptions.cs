namespace Serverless.Hosting.Configuration;

/// <summary>Function keys: where they live and how long lookups are cached.</summary>
public sealed class KeysOptions
{
    public const string Section = "Keys";

    /// <summary>The master (admin) key; when unset one is generated at first start and stored hashed.</summary>
    public string? MasterKey { get; set; }

    public string TableName { get; set; } = "FunctionKeys";

    /// <summary>
    /// How long the in-memory key index is used before it is read again (one query, whatever the traffic): a key
    /// created or revoked on another host works or stops working after at most this long.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where a generated master key is written, relative to <see cref="FunctionsHostOptions.RootPath"/>.</summary>
    public string MasterKeyFile { get; set; } = Path.Combine(".local", "master-key.txt");
}
