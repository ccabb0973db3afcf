using Serverless.Durable.Storage;
using Xunit;

namespace Serverless.Durable.Tests;

public sealed class RetryPolicyTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly FailureDetails Failure = new("System.TimeoutException", "slow");

    [Fact]
    public void Delays_grow_by_the_coefficient_up_to_the_cap_and_stop_at_max_attempts()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(5));
        var delays = Enumerable.Range(1, 5).Select(attempt => policy.NextDelay(attempt, Failure, T0, T0)).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), null], delays);
    }

    [Fact]
    public void Retry_timeout_and_handler_stop_retries()
    {
        var timed = new RetryPolicy(10, TimeSpan.FromSeconds(10), retryTimeout: TimeSpan.FromSeconds(25));
        Assert.Equal(TimeSpan.FromSeconds(10), timed.NextDelay(1, Failure, T0, T0.AddSeconds(10)));
        Assert.Null(timed.NextDelay(2, Failure, T0, T0.AddSeconds(20)));

        var picky = new RetryPolicy(10, TimeSpan.FromSeconds(1)) { Handle = f => f.ErrorType == "System.TimeoutException" };
        Assert.NotNull(picky.NextDelay(1, Failure, T0, T0));
        Assert.Null(picky.NextDelay(1, new FailureDetails("System.ArgumentException", "bad"), T0, T0));
    }

    [Fact]
    public void Partition_hash_is_stable_and_spread()
    {
        var names = new TaskHubNames("mlops", 4);
        Assert.Equal(names.PartitionOf("instance-42"), new TaskHubNames("mlops", 4).PartitionOf("instance-42"));
        var counts = Enumerable.Range(0, 400).GroupBy(i => names.PartitionOf($"run-{i}")).Select(g => g.Count()).ToList();
        Assert.Equal(4, counts.Count);
        Assert.All(counts, c => Assert.InRange(c, 60, 140));
        Assert.Equal("mlops-control-03", names.ControlQueue(3));
        Assert.Equal("mlopsHistory", names.HistoryTable);
        Assert.Throws<ArgumentException>(() => new TaskHubNames("ml-ops", 4));
    }
}
