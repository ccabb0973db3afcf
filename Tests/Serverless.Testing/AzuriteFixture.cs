using Microsoft.Extensions.Logging.Abstractions;
using Serverless.Storage;
using Serverless.Storage.Azure;
using Serverless.Storage.Azure.Azurite;
using Xunit;

namespace Serverless.Testing;

/// <summary>
/// The integration tests' storage: one Azurite per test process, started on free ports in a temporary
/// folder the first time a test class asks for it, and stopped (folder removed) when the process ends.
/// Tests isolate themselves with <see cref="UniqueName"/> rather than by starting more emulators;
/// a test that must restart storage uses <see cref="StartPrivateAsync"/>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<AzuriteServer>> Shared = new(() => StartSharedAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public string ConnectionString => Server.ConnectionString;

    public TestStorage Storage { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await Shared.Value.ConfigureAwait(false);
        Storage = TestStorage.Connect(_server.ConnectionString);
    }

    public Task DisposeAsync() => Task.CompletedTask; // shared: stopped at process exit

    /// <summary>A storage-safe unique name (lowercase letters and digits, starting with a letter) for containers, tables, queues and hubs.</summary>
    public static string UniqueName(string prefix = "t") =>
        (prefix + Guid.NewGuid().ToString("N")[..12]).ToLowerInvariant();

    /// <summary>An Azurite of the test's own, for tests that stop or restart storage. Dispose it.</summary>
    public static Task<AzuriteServer> StartPrivateAsync(CancellationToken cancellationToken = default) =>
        AzuriteServer.StartAsync(
            new AzuriteOptions { Location = NewTempFolder() },
            NullLogger.Instance,
            cancellationToken);

    private static async Task<AzuriteServer> StartSharedAsync()
    {
        var location = NewTempFolder();
        var server = await AzuriteServer.StartAsync(new AzuriteOptions { Location = location }, NullLogger.Instance).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.StopAsync().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(location, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return server;
    }

    private static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "serverless-tests", "azurite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>The four storage abstractions over one account.</summary>
public sealed record TestStorage(IBlobStore Blobs, ITableStore Tables, IQueueStore Queues, ILeaseStore Leases, StorageConnectionOptions Connection)
{
    public static TestStorage Connect(string connectionString)
    {
        var connection = new StorageConnectionOptions { ConnectionString = connectionString };
        var clients = new AzureStorageClients(connection);
        var blobs = new AzureBlobStore(clients);
        return new TestStorage(blobs, new AzureTableStore(clients), new AzureQueueStore(clients), new AzureBlobLeaseStore(blobs), connection);
    }
}
