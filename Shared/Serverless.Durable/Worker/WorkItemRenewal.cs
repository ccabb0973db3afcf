using Serverless.Storage;

namespace Serverless.Durable.Worker;

/// <summary>Keeps a work item hidden while its activity runs, renewing its visibility every third of the timeout.</summary>
internal sealed class WorkItemRenewal : IDisposable
{
    private readonly IQueueStore _queues;
    private readonly string _queue;
    private readonly string _messageId;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public WorkItemRenewal(IQueueStore queues, string queue, QueueMessage message, TimeSpan timeout)
    {
        _queues = queues;
        _queue = queue;
        _messageId = message.MessageId;
        _timeout = timeout;
        PopReceipt = message.PopReceipt;
        _loop = Task.Run(RenewAsync);
    }

    public string PopReceipt { get; private set; }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Makes the work item visible again at once, for another host to run.</summary>
    public async Task AbandonAsync()
    {
        try
        {
            PopReceipt = await _queues.UpdateVisibilityAsync(_queue, _messageId, PopReceipt, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageNotFoundException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RenewAsync()
    {
        var interval = _timeout / 3;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
            try
            {
                PopReceipt = await _queues.UpdateVisibilityAsync(_queue, _messageId, PopReceipt, _timeout, _stop.Token).ConfigureAwait(false);
            }
            catch (StorageNotFoundException)
            {
                return; // lost: another host will run it
            }
        }
    }
}
