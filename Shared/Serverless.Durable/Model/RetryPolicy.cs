namespace Serverless.Durable;

/// <summary>
/// How a failed activity or sub-orchestration is retried: up to <see cref="MaxNumberOfAttempts"/> attempts,
/// waiting <c>FirstRetryInterval × BackoffCoefficient^(attempt-1)</c> (capped by <see cref="MaxRetryInterval"/>)
/// between them, giving up once <see cref="RetryTimeout"/> has passed since the first attempt or when
/// <see cref="Handle"/> says the failure is not worth retrying.
/// </summary>
public sealed record RetryPolicy
{
    public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0, TimeSpan? maxRetryInterval = null, TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        RetryTimeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
    }

    public int MaxNumberOfAttempts { get; }

    public TimeSpan FirstRetryInterval { get; }

    public double BackoffCoefficient { get; }

    public TimeSpan MaxRetryInterval { get; }

    /// <summary>Overall time budget from the first attempt; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>Decides from the failure whether to retry; <c>null</c> retries every failure.</summary>
    public Func<FailureDetails, bool>? Handle { get; init; }

    /// <summary>
    /// The delay before the next attempt after attempt number <paramref name="attempt"/> (1-based) failed,
    /// or <c>null</c> when no further attempt should be made.
    /// </summary>
    public TimeSpan? NextDelay(int attempt, FailureDetails failure, DateTime firstAttemptAt, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (attempt >= MaxNumberOfAttempts || (Handle is not null && !Handle(failure)))
        {
            return null;
        }

        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1);
        var delay = ticks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
        if (RetryTimeout != Timeout.InfiniteTimeSpan && now + delay > firstAttemptAt + RetryTimeout)
        {
            return null;
        }

        return delay;
    }
}

/// <summary>Options of an activity or sub-orchestration call.</summary>
public record TaskOptions(RetryPolicy? Retry = null)
{
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(policy);
}

/// <summary>Options of a sub-orchestration call: its instance id (a new GUID by default).</summary>
public sealed record SubOrchestrationOptions(RetryPolicy? Retry = null, string? InstanceId = null) : TaskOptions(Retry);
