using Microsoft.DurableTask;
using Serverless.Domain;

namespace Serverless.Orchestrations;

/// <summary>
/// How the orchestrations retry a failed activity: a transient failure (storage, a crashed host, a timeout) again
/// with exponential backoff; bad input (anything derived from <see cref="BadInputException"/>, matched by type
/// through the failure details) never, since only fixing the input helps.
/// </summary>
public static class StepRetry
{
    /// <summary>Three attempts, 2 s then 4 s apart (at most 30 s): what every step of the orchestrations uses.</summary>
    public static TaskOptions Default { get; } = Create(3, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromSeconds(30));

    /// <summary>A policy with the bad-input filter.</summary>
    public static TaskOptions Create(int maxAttempts, TimeSpan firstInterval, double backoff = 1.0, TimeSpan? maxInterval = null) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(maxAttempts, firstInterval, backoff, maxInterval) { HandleFailure = IsWorthRetrying });

    /// <summary><c>false</c> when the activity threw a <see cref="BadInputException"/> (or a type derived from it).</summary>
    public static bool IsWorthRetrying(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return !failure.IsCausedBy<BadInputException>();
    }
}
