namespace Serverless.Storage.Azure;

/// <summary>
/// Where the storage account is, read from the <c>AzureWebJobsStorage</c> setting as Azure Functions does:
/// either a connection string, or (identity-based, with <c>DefaultAzureCredential</c>)
/// <c>AzureWebJobsStorage__accountName</c> or the three <c>__blobServiceUri</c>, <c>__queueServiceUri</c>,
/// <c>__tableServiceUri</c> settings.
/// </summary>
public sealed record StorageConnectionOptions
{
    public string? ConnectionString { get; init; }

    public Uri? BlobServiceUri { get; init; }

    public Uri? QueueServiceUri { get; init; }

    public Uri? TableServiceUri { get; init; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || BlobServiceUri is not null;

    /// <summary>Reads the setting named <paramref name="name"/> (and its <c>__</c> sub-settings) from configuration.</summary>
    public static StorageConnectionOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration, string name = "AzureWebJobsStorage")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[name];
        var section = configuration.GetSection(name);
        var accountName = section["accountName"];
        Uri? Service(string key, string kind) =>
            section[key] is { Length: > 0 } uri ? new Uri(uri)
            : accountName is { Length: > 0 } ? new Uri($"https://{accountName}.{kind}.core.windows.net")
            : null;

        return new StorageConnectionOptions
        {
            ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? null : connectionString,
            BlobServiceUri = Service("blobServiceUri", "blob"),
            QueueServiceUri = Service("queueServiceUri", "queue"),
            TableServiceUri = Service("tableServiceUri", "table"),
        };
    }
}
