using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Serverless.Durable.Storage;
using Serverless.Durable.Worker;
using Serverless.Storage;

namespace Serverless.Durable.Telemetry;

/// <summary>
/// The task hub's observable gauges (meter <c>Serverless.Durable</c>, tag <c>hub</c>):
/// <c>serverless.durable.queue.depth</c> per control queue and the work-item queue (approximate message counts), and
/// <c>serverless.durable.instances</c> by runtime status (one projected scan of the Instances table). Both are read in
/// the background at most every <see cref="DurableTaskOptions.QueueDepthRefreshInterval"/> /
/// <see cref="DurableTaskOptions.InstanceCountRefreshInterval"/>, and only while something collects them.
/// </summary>
internal sealed class TaskHubGauges : IDisposable
{
    private readonly TaskHubStorage _storage;
    private readonly Meter _meter = new(DurableTelemetry.Name, typeof(TaskHubGauges).Assembly.GetName().Version?.ToString());
    private readonly KeyValuePair<string, object?> _hub;

    public TaskHubGauges(TaskHubStorage storage, DurableTaskOptions options, ILogger logger)
    {
        _storage = storage;
        var hub = storage.Names.HubName;
        _hub = new(DurableTelemetry.Tags.Hub, hub);
        QueueDepths = new BackgroundReading(ReadQueueDepthsAsync, options.QueueDepthRefreshInterval, e => DurableLog.GaugeRefreshFailed(logger, "queue depth", hub, e));
        Instances = new BackgroundReading(CountInstancesAsync, options.InstanceCountRefreshInterval, e => DurableLog.GaugeRefreshFailed(logger, "instances", hub, e));
        _meter.CreateObservableGauge("serverless.durable.queue.depth", () => QueueDepths.Current, unit: "{message}", description: "Approximate messages waiting in the task hub's control and work-item queues.");
        _meter.CreateObservableGauge("serverless.durable.instances", () => Instances.Current, unit: "{instance}", description: "Orchestration instances in the task hub by runtime status.");
    }

    public BackgroundReading QueueDepths { get; }

    public BackgroundReading Instances { get; }

    private async Task<IReadOnlyList<Measurement<long>>> ReadQueueDepthsAsync(CancellationToken cancellationToken)
    {
        var names = _storage.Names;
        var queues = Enumerable.Range(0, names.PartitionCount).Select(names.ControlQueue).Append(names.WorkItemQueue).ToList();
        var counts = await Task.WhenAll(queues.Select(q => _storage.Queues.GetApproximateCountAsync(q, cancellationToken))).ConfigureAwait(false);
        return queues.Select((q, i) => new Measurement<long>(counts[i], _hub, new(DurableTelemetry.Tags.Queue, q))).ToList();
    }

    private async Task<IReadOnlyList<Measurement<long>>> CountInstancesAsync(CancellationToken cancellationToken)
    {
        var counts = Enum.GetValues<OrchestrationRuntimeStatus>().ToDictionary(s => s, _ => 0L);
        var query = new TableQuery { Select = ["RuntimeStatus"] };
        await foreach (var row in _storage.Tables.QueryAsync(_storage.Names.InstancesTable, query, cancellationToken).ConfigureAwait(false))
        {
            if (Enum.TryParse<OrchestrationRuntimeStatus>(row.GetString("RuntimeStatus"), out var status))
            {
                counts[status]++;
            }
        }

        return counts.Select(c => new Measurement<long>(c.Value, _hub, new(DurableTelemetry.Tags.Status, c.Key.ToString()))).ToList();
    }

    public void Dispose()
    {
        _meter.Dispose();
        QueueDepths.Dispose();
        Instances.Dispose();
    }
}
