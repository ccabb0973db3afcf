using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Serverless.Storage;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// The task hub's observable gauges (meter <see cref="DurableTaskMetrics.MeterName"/>, tag <c>hub</c>):
/// <c>serverless.durable.queue.depth</c> per control queue and the work-item queue (approximate message counts), and
/// <c>serverless.durable.instances</c> by runtime status (one projected scan of the provider's Instances table). Both are
/// read in the background, at most every <see cref="DurableTaskHubOptions.QueueDepthRefreshInterval"/> /
/// <see cref="DurableTaskHubOptions.InstanceCountRefreshInterval"/>, and only while something collects them.
/// </summary>
internal sealed class TaskHubGauges : IDisposable
{
    private readonly DurableTaskHub _hub;
    private readonly IQueueStore _queues;
    private readonly ITableStore _tables;
    private readonly Meter _meter = new(DurableTaskMetrics.MeterName, typeof(TaskHubGauges).Assembly.GetName().Version?.ToString());
    private readonly KeyValuePair<string, object?> _hubTag;

    public TaskHubGauges(DurableTaskHub hub, IQueueStore queues, ITableStore tables, ILogger logger)
    {
        _hub = hub;
        _queues = queues;
        _tables = tables;
        _hubTag = new(DurableTaskMetrics.Tags.Hub, hub.HubName);
        QueueDepths = new BackgroundReading(ReadQueueDepthsAsync, hub.Options.QueueDepthRefreshInterval, e => DurableTaskLog.GaugeRefreshFailed(logger, "queue depth", hub.HubName, e));
        Instances = new BackgroundReading(CountInstancesAsync, hub.Options.InstanceCountRefreshInterval, e => DurableTaskLog.GaugeRefreshFailed(logger, "instances", hub.HubName, e));
        _meter.CreateObservableGauge("serverless.durable.queue.depth", () => QueueDepths.Current, unit: "{message}", description: "Approximate messages waiting in the task hub's control and work-item queues.");
        _meter.CreateObservableGauge("serverless.durable.instances", () => Instances.Current, unit: "{instance}", description: "Orchestration instances in the task hub by runtime status.");
    }

    public BackgroundReading QueueDepths { get; }

    public BackgroundReading Instances { get; }

    private async Task<IReadOnlyList<Measurement<long>>> ReadQueueDepthsAsync(CancellationToken cancellationToken)
    {
        var queues = _hub.QueueNames;
        var counts = await Task.WhenAll(queues.Select(q => _queues.GetApproximateCountAsync(q, cancellationToken))).ConfigureAwait(false);
        return [.. queues.Select((q, i) => new Measurement<long>(counts[i], _hubTag, new(DurableTaskMetrics.Tags.Queue, q)))];
    }

    private async Task<IReadOnlyList<Measurement<long>>> CountInstancesAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var query = new TableQuery { Select = ["RuntimeStatus"] };
        await foreach (var row in _tables.QueryAsync(_hub.InstancesTable, query, cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("RuntimeStatus") is { Length: > 0 } status)
            {
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }
        }

        return [.. counts.Select(c => new Measurement<long>(c.Value, _hubTag, new(DurableTaskMetrics.Tags.Status, c.Key)))];
    }

    public void Dispose()
    {
        _meter.Dispose();
        QueueDepths.Dispose();
        Instances.Dispose();
    }
}
