using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Background;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Telemetry;
using Serverless.Hosting.Invocation;
using Serverless.Storage;

namespace Serverless.Hosting.Blobs;

/// <summary>
/// Processes one blob version for one function exactly once across hosts: checks the receipt, takes the
/// version's lease (renewed while running), invokes with retries, records failures, poisons after the
/// threshold, writes the receipt on success, and releases the lease (also when the host stops mid-way).
/// </summary>
public sealed partial class BlobTriggerDispatcher(
    BlobReceiptStore receipts,
    ILeaseStore leases,
    IQueueStore queues,
    IBlobStore blobs,
    FunctionInvoker invoker,
    IOptions<BlobsOptions> options,
    TimeProvider time,
    ILogger<BlobTriggerDispatcher> logger)
{
    /// <param name="stopping">Signals the host is stopping: no new attempt starts.</param>
    /// <param name="invocation">Cancels a running invocation (after the drain timeout).</param>
    public async Task<BlobDispatchOutcome> DispatchAsync(FunctionDescriptor function, BlobItem blob, IReadOnlyDictionary<string, string> bindingData, CancellationToken stopping, CancellationToken invocation)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(blob);
        if ((await receipts.ReadAsync(function.Name, blob, stopping).ConfigureAwait(false))?.IsFinal == true)
        {
            return BlobDispatchOutcome.AlreadyProcessed;
        }

        var lockName = receipts.LockName(function.Name, blob);
        var settings = options.Value;
        // One owner per dispatch: two dispatches of the same version in one host must exclude each other too.
        var owner = Guid.NewGuid().ToString();
        if (!await leases.TryAcquireAsync(HostStorageNames.HostsContainer, lockName, owner, settings.LeaseDuration, stopping).ConfigureAwait(false))
        {
            return BlobDispatchOutcome.HeldElsewhere;
        }

        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(invocation);
        var renewing = RenewAsync(lockName, owner, renewal.Token);
        var released = false;
        try
        {
            var receipt = await receipts.ReadAsync(function.Name, blob, stopping).ConfigureAwait(false);
            if (receipt?.IsFinal == true)
            {
                return BlobDispatchOutcome.AlreadyProcessed; // another host finished between our check and our lease
            }

            var failures = receipt?.Failures ?? 0;
            while (true)
            {
                stopping.ThrowIfCancellationRequested();
                Exception? failure = null;
                using (var span = TriggerSpans.StartBlob(function.Name, blob, failures + 1))
                {
                    try
                    {
                        var value = new BlobTriggerValue(blob, blobs);
                        var request = new InvocationRequest(value, value.BindingData(bindingData), Guid.NewGuid().ToString("N"));
                        await invoker.InvokeAsync(function, request, invocation).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (invocation.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception e)
                    {
                        failure = e;
                        TriggerSpans.Failed(span, e);
                    }
                }

                if (failure is null)
                {
                    await receipts.WriteAsync(function.Name, blob, new BlobReceipt(BlobReceiptStatus.Completed, failures, time.GetUtcNow(), null), CancellationToken.None).ConfigureAwait(false);
                    return BlobDispatchOutcome.Completed;
                }

                failures++;
                LogAttemptFailed(logger, function.Name, blob.Container, blob.Name, failures, settings.PoisonBlobThreshold);
                if (failures >= settings.PoisonBlobThreshold)
                {
                    await PoisonAsync(function, blob).ConfigureAwait(false);
                    await receipts.WriteAsync(function.Name, blob, new BlobReceipt(BlobReceiptStatus.Poisoned, failures, time.GetUtcNow(), null), CancellationToken.None).ConfigureAwait(false);
                    return BlobDispatchOutcome.Poisoned;
                }

                await receipts.WriteAsync(function.Name, blob, new BlobReceipt(BlobReceiptStatus.Failed, failures, time.GetUtcNow(), null), CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(settings.RetryDelay, time, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (invocation.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            LogReleased(logger, function.Name, blob.Container, blob.Name);
            released = true;
            return BlobDispatchOutcome.Released;
        }
        finally
        {
            await renewal.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            await ReleaseAsync(lockName, owner, deleteLock: !released).ConfigureAwait(false);
        }
    }

    private async Task PoisonAsync(FunctionDescriptor function, BlobItem blob)
    {
        var message = new PoisonBlobMessage("BlobTrigger", $"Host.Functions.{function.Name}", "BlockBlob", blob.Container, blob.Name, blob.ETag.Value);
        await queues.CreateQueueIfNotExistsAsync(HostStorageNames.PoisonBlobQueue, CancellationToken.None).ConfigureAwait(false);
        await queues.SendAsync(HostStorageNames.PoisonBlobQueue, JsonSerializer.Serialize(message), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        LogPoisoned(logger, function.Name, blob.Container, blob.Name, HostStorageNames.PoisonBlobQueue);
    }

    private async Task RenewAsync(string lockName, string owner, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.LeaseDuration / 3, time, cancellationToken).ConfigureAwait(false);
                if (!await leases.RenewAsync(HostStorageNames.HostsContainer, lockName, owner, cancellationToken).ConfigureAwait(false))
                {
                    LogLeaseLost(logger, lockName);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRenewFailed(logger, e, lockName);
        }
    }

    private async Task ReleaseAsync(string lockName, string owner, bool deleteLock)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await leases.ReleaseAsync(HostStorageNames.HostsContainer, lockName, owner, timeout.Token).ConfigureAwait(false);
            if (deleteLock)
            {
                await blobs.DeleteIfExistsAsync(HostStorageNames.HostsContainer, lockName, cancellationToken: timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRenewFailed(logger, e, lockName); // the lease expires by itself
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob trigger '{Function}' failed on {Container}/{Blob} (attempt {Failures} of {Threshold})")]
    private static partial void LogAttemptFailed(ILogger logger, string function, string container, string blob, int failures, int threshold);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blob trigger '{Function}' gave up on {Container}/{Blob}; a message went to queue {Queue}")]
    private static partial void LogPoisoned(ILogger logger, string function, string container, string blob, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Host stopping: released '{Function}' on {Container}/{Blob} for another host")]
    private static partial void LogReleased(ILogger logger, string function, string container, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease {Lock} while processing; another host may take over")]
    private static partial void LogLeaseLost(ILogger logger, string @lock);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew or release the lease {Lock}")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string @lock);
}
