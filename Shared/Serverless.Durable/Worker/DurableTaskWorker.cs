using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Durable.Storage;
using Serverless.Durable.Telemetry;

namespace Serverless.Durable.Worker;

/// <summary>
/// The hosted worker: creates the hub's storage, balances partition leases (running an orchestration
/// listener per owned control queue) and runs activities from the work-item queue. Stopping releases
/// the leases so other hosts take over at once.
/// </summary>
public sealed class DurableTaskWorker : BackgroundService
{
    private readonly TaskHubStorage _storage;
    private readonly DurableTaskOptions _options;
    private readonly ActivityDispatcher _activities;
    private readonly PartitionBalancer _balancer;
    private readonly TaskHubGauges _gauges;

    internal DurableTaskWorker(
        TaskHubStorage storage,
        DurableTaskRegistry registry,
        IServiceScopeFactory scopes,
        DataConverter converter,
        IOptions<DurableTaskOptions> options,
        ILogger<DurableTaskWorker> logger)
    {
        _storage = storage;
        _options = options.Value;
        _activities = new ActivityDispatcher(storage, registry, scopes, converter, _options, new ActivityResultSender(storage, Math.Max(1, _options.StorageProvider.ActivityResultBatchSize)), logger);
        var runner = new OrchestrationEpisodeRunner(storage, registry, scopes, converter, _options, logger);
        var concurrency = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentOrchestratorFunctions));
        _balancer = new PartitionBalancer(
            storage,
            _options,
            partition => new ControlQueueListener(partition, storage, runner, concurrency, _options, logger),
            logger);
        _gauges = new TaskHubGauges(storage, _options, logger);
    }

    public string WorkerId => _options.WorkerId;

    /// <summary>Activities this worker has run to an outcome.</summary>
    public long CompletedActivityCount => _activities.CompletedCount;

    /// <summary>The control-queue partitions this worker owns right now.</summary>
    public IReadOnlyCollection<int> OwnedPartitions => _balancer.OwnedPartitions.ToList();

    /// <summary>The hub's queue-depth and instance gauges (read in the background when collected).</summary>
    internal TaskHubGauges Gauges => _gauges;

    public override void Dispose()
    {
        _gauges.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.StartWorker)
        {
            return;
        }

        await _storage.EnsureCreatedAsync(stoppingToken).ConfigureAwait(false);
        await Task.WhenAll(
            Task.Run(() => _activities.RunAsync(stoppingToken), CancellationToken.None),
            Task.Run(() => _balancer.RunAsync(stoppingToken), CancellationToken.None)).ConfigureAwait(false);
    }
}
