using Azure.Identity;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Storage.Azure;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// The one <see cref="AzureStorageOrchestrationService"/> of this process for the configured task hub, shared by
/// the worker and the client (as Durable Functions shares it): made from <see cref="DurableTaskHubOptions"/> and
/// the host's <c>AzureWebJobsStorage</c> connection (<see cref="StorageConnectionOptions"/>).
/// </summary>
public sealed class DurableTaskHub : IDisposable
{
    private readonly Lazy<AzureStorageOrchestrationService> _service;

    public DurableTaskHub(IOptions<DurableTaskHubOptions> options, StorageConnectionOptions connection, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        Options = options.Value;
        Settings = CreateSettings(Options, connection, loggerFactory);
        _service = new Lazy<AzureStorageOrchestrationService>(() => new AzureStorageOrchestrationService(Settings));
    }

    public DurableTaskHubOptions Options { get; }

    /// <summary>The provider's settings as derived from <see cref="Options"/>.</summary>
    public AzureStorageOrchestrationServiceSettings Settings { get; }

    public string HubName => Settings.TaskHubName;

    public AzureStorageOrchestrationService Service => _service.Value;

    public IOrchestrationServiceClient Client => Service;

    /// <summary>The names the provider gives the hub's queues: one control queue per partition, then the work-item queue.</summary>
    public IReadOnlyList<string> QueueNames =>
    [
        .. Enumerable.Range(0, Settings.PartitionCount).Select(i => $"{HubName.ToLowerInvariant()}-control-{i:00}"),
        $"{HubName.ToLowerInvariant()}-workitems",
    ];

    /// <summary>The provider's instances table (one row per instance with its runtime status).</summary>
    public string InstancesTable => HubName + "Instances";

    public void Dispose()
    {
        if (_service.IsValueCreated)
        {
            _service.Value.Dispose();
        }
    }

    private static AzureStorageOrchestrationServiceSettings CreateSettings(DurableTaskHubOptions options, StorageConnectionOptions connection, ILoggerFactory loggerFactory)
    {
        var provider = options.StorageProvider;
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.HubName,
            StorageAccountClientProvider = ClientProvider(connection),
            PartitionCount = provider.PartitionCount,
            MaxQueuePollingInterval = provider.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = provider.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = provider.WorkItemQueueVisibilityTimeout,
            LeaseInterval = provider.LeaseInterval,
            LeaseRenewInterval = provider.LeaseRenewInterval,
            LeaseAcquireInterval = provider.LeaseAcquireInterval,
            UseTablePartitionManagement = provider.UseTablePartitionManagement,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestratorFunctions,
            ExtendedSessionsEnabled = options.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = options.ExtendedSessionIdleTimeout,
            WorkerId = options.WorkerId,

            // Starting an instance whose id is in a deduplicated status fails loudly instead of being dropped.
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggerFactory,
        };
    }

    private static StorageAccountClientProvider ClientProvider(StorageConnectionOptions connection)
    {
        if (!string.IsNullOrWhiteSpace(connection.ConnectionString))
        {
            return new StorageAccountClientProvider(connection.ConnectionString);
        }

        if (connection.BlobServiceUri is not null && connection.QueueServiceUri is not null && connection.TableServiceUri is not null)
        {
            return new StorageAccountClientProvider(connection.BlobServiceUri, connection.QueueServiceUri, connection.TableServiceUri, new DefaultAzureCredential());
        }

        throw new InvalidOperationException(
            "The durable task hub needs storage: set AzureWebJobsStorage to a connection string, or AzureWebJobsStorage__accountName " +
            "(or the __blobServiceUri/__queueServiceUri/__tableServiceUri settings) to use DefaultAzureCredential.");
    }
}
