using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Serverless.Durable.Storage;

namespace Serverless.Durable.Worker;

/// <summary>
/// Sends activity results to their instance's control queue, coalescing the results of one instance and
/// execution that complete while a send for it is in flight into one message (group commit: no timer, so a
/// lone result goes out at once; under load a single send carries many results). <see cref="SendAsync"/>
/// returns only once the result is durable in the queue, so a work item is never deleted before its result.
/// </summary>
internal sealed class ActivityResultSender(TaskHubStorage storage, int maxEventsPerMessage)
{
    private readonly ConcurrentDictionary<(string InstanceId, string? ExecutionId), Lane> _lanes = new();

    /// <summary>Queue messages sent and results they carried (for diagnostics and the benchmark).</summary>
    public (long Messages, long Results) Sent => (Interlocked.Read(ref _messages), Interlocked.Read(ref _results));

    private long _messages;
    private long _results;

    public Task SendAsync(string instanceId, string? executionId, HistoryEvent result, CancellationToken cancellationToken)
    {
        var pending = new PendingResult(result, Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(result, DurableJson.Options)));
        var lane = _lanes.GetOrAdd((instanceId, executionId), key => new Lane(key.InstanceId, key.ExecutionId));
        bool startPump;
        lock (lane)
        {
            lane.Pending.Add(pending);
            startPump = !lane.Sending;
            lane.Sending = true;
        }

        if (startPump)
        {
            _ = Task.Run(() => PumpAsync(lane, cancellationToken), CancellationToken.None);
        }

        return pending.Sent.Task;
    }

    private async Task PumpAsync(Lane lane, CancellationToken cancellationToken)
    {
        while (true)
        {
            List<PendingResult> batch;
            lock (lane)
            {
                if (lane.Pending.Count == 0)
                {
                    lane.Sending = false;
                    _lanes.TryRemove(new KeyValuePair<(string, string?), Lane>((lane.InstanceId, lane.ExecutionId), lane));
                    return;
                }

                batch = TakeBatch(lane.Pending);
            }

            try
            {
                var message = TaskMessage.Batch(lane.InstanceId, lane.ExecutionId, [.. batch.Select(p => p.Result)]);
                await storage.SendToInstanceAsync(message, null, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _messages);
                Interlocked.Add(ref _results, batch.Count);
                batch.ForEach(p => p.Sent.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Sent.TrySetException(e));
            }
        }
    }

    /// <summary>The oldest results that fit one inline queue message (a result too large for one goes alone, through a blob).</summary>
    private List<PendingResult> TakeBatch(List<PendingResult> pending)
    {
        var budget = storage.Codec.MaxInlineLength - 1024;
        var batch = new List<PendingResult> { pending[0] };
        var size = pending[0].Length;
        while (batch.Count < pending.Count && batch.Count < maxEventsPerMessage && size + pending[batch.Count].Length + 16 <= budget)
        {
            size += pending[batch.Count].Length + 16;
            batch.Add(pending[batch.Count]);
        }

        pending.RemoveRange(0, batch.Count);
        return batch;
    }

    private sealed class Lane(string instanceId, string? executionId)
    {
        public string InstanceId { get; } = instanceId;

        public string? ExecutionId { get; } = executionId;

        public List<PendingResult> Pending { get; } = [];

        public bool Sending { get; set; }
    }

    private sealed record PendingResult(HistoryEvent Result, int Length)
    {
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
