namespace Serverless.Storage.Azure.Azurite;

/// <summary>How to start the local storage emulator.</summary>
public sealed record AzuriteOptions
{
    /// <summary>Folder for Azurite's data; state survives restarts. Ignored with <see cref="InMemory"/>.</summary>
    public required string Location { get; init; }

    /// <summary>Ports; 0 picks a free one.</summary>
    public int BlobPort { get; init; }

    public int QueuePort { get; init; }

    public int TablePort { get; init; }

    public bool InMemory { get; init; }

    /// <summary>The folder with <c>package.json</c> naming azurite; found by walking up from the app and the working directory when unset.</summary>
    public string? PackageRoot { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The usual local ports, as Azurite and the Functions tooling use them.</summary>
    public static AzuriteOptions Default(string location) => new() { Location = location, BlobPort = 10000, QueuePort = 10001, TablePort = 10002 };
}
