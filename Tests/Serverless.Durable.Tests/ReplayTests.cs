using Serverless.Durable.Replay;
using Xunit;

namespace Serverless.Durable.Tests;

/// <summary>The replay engine on recorded histories, without storage.</summary>
public sealed class ReplayTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static HistoryEvent Started(string name, string? input = null) =>
        new() { Type = HistoryEventType.ExecutionStarted, Name = name, Input = input, ExecutionId = "e1", Timestamp = T0 };

    private static HistoryEvent Tick(int seconds) => new() { Type = HistoryEventType.OrchestratorStarted, Timestamp = T0.AddSeconds(seconds) };

    private static HistoryEvent Completed(int id, string result) => new() { Type = HistoryEventType.TaskCompleted, TaskScheduledId = id, Result = result };

    private static HistoryEvent Raised(string name, string payload) => new() { Type = HistoryEventType.EventRaised, Name = name, Input = payload };

    private static OrchestrationEpisode Run(ITaskOrchestrator orchestrator, IReadOnlyList<HistoryEvent> past, params HistoryEvent[] newEvents) =>
        OrchestrationExecutor.Execute("i1", past, newEvents, _ => orchestrator, JsonDataConverter.Default);

    private sealed class Chain : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            var a = await context.CallActivityAsync<int>("Add", input);
            var b = await context.CallActivityAsync<int>("Add", a);
            return b * 10;
        }
    }

    private sealed class ChainWithTimerFirst : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            await context.CreateTimer(TimeSpan.FromMinutes(1), CancellationToken.None);
            return await context.CallActivityAsync<int>("Add", input);
        }
    }

    private sealed class ChainRenamed : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input) =>
            await context.CallActivityAsync<int>("Multiply", input);
    }

    [Fact]
    public void Episodes_schedule_in_order_and_replaying_the_recorded_history_reproduces_the_decisions()
    {
        var history = new List<HistoryEvent>();
        var first = Run(new Chain(), history, Tick(0), Started("Chain", "1"));
        Assert.Equal(OrchestrationRuntimeStatus.Running, first.RuntimeStatus);
        var scheduled = Assert.Single(first.NewEvents, e => e.Type == HistoryEventType.TaskScheduled);
        Assert.Equal(("Add", "1", 0), (scheduled.Name, scheduled.Input, scheduled.EventId));
        history.AddRange(first.NewEvents);

        var second = Run(new Chain(), history, Tick(1), Completed(0, "2"));
        var next = Assert.Single(second.NewEvents, e => e.Type == HistoryEventType.TaskScheduled);
        Assert.Equal(("Add", "2", 1), (next.Name, next.Input, next.EventId));

        // The same history replayed again decides exactly the same thing.
        var again = Run(new Chain(), history, Tick(1), Completed(0, "2"));
        Assert.Equal(second.NewEvents, again.NewEvents);
        history.AddRange(second.NewEvents);

        var last = Run(new Chain(), history, Tick(2), Completed(1, "3"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, last.RuntimeStatus);
        Assert.Equal("30", last.Completion?.Result);
        Assert.DoesNotContain(last.NewEvents, e => e.Type == HistoryEventType.TaskScheduled);
    }

    [Fact]
    public void Changed_activity_name_fails_naming_expected_and_actual_step()
    {
        var history = Run(new Chain(), [], Tick(0), Started("Chain", "1")).NewEvents.ToList();

        var replay = Run(new ChainRenamed(), history, Tick(1), Completed(0, "2"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, replay.RuntimeStatus);
        var failure = replay.Completion!.Failure!;
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, failure.ErrorType);
        Assert.Contains("expects activity 'Add' (#0)", failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("scheduled activity 'Multiply' (#0)", failure.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Timer_in_place_of_an_activity_is_detected()
    {
        var history = Run(new Chain(), [], Tick(0), Started("Chain", "1")).NewEvents.ToList();

        var replay = Run(new ChainWithTimerFirst(), history, Tick(1), Completed(0, "2"));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, replay.RuntimeStatus);
        Assert.Contains("expects activity 'Add' (#0)", replay.Completion!.Failure!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("scheduled timer firing at", replay.Completion.Failure.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Timer_fires_at_the_requested_replay_safe_time()
    {
        var first = Run(new ChainWithTimerFirst(), [], Tick(0), Started("ChainWithTimerFirst", "5"));
        var timer = Assert.Single(first.NewEvents, e => e.Type == HistoryEventType.TimerCreated);
        Assert.Equal(T0.AddMinutes(1), timer.FireAt);
        Assert.DoesNotContain(first.NewEvents, e => e.Type == HistoryEventType.TaskScheduled);

        var fired = Run(new ChainWithTimerFirst(), first.NewEvents.ToList(), Tick(60), new HistoryEvent { Type = HistoryEventType.TimerFired, TaskScheduledId = timer.EventId });
        Assert.Single(fired.NewEvents, e => e.Type == HistoryEventType.TaskScheduled && e.Name == "Add");
    }

    private sealed class Waiter : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var one = await context.WaitForExternalEvent<string>("step");
            var two = await context.WaitForExternalEvent<string>("step");
            try
            {
                await context.WaitForExternalEvent<string>("never", TimeSpan.FromSeconds(30));
                return "unexpected";
            }
            catch (TaskCanceledException)
            {
                return one + two + ":timeout";
            }
        }
    }

    [Fact]
    public void Events_raised_before_the_wait_are_buffered_in_order_and_a_wait_times_out_on_a_durable_timer()
    {
        var first = Run(new Waiter(), [], Tick(0), Raised("step", "\"x\""), Raised("step", "\"y\""), Started("Waiter"));
        var timer = Assert.Single(first.NewEvents, e => e.Type == HistoryEventType.TimerCreated);
        Assert.Equal(T0.AddSeconds(30), timer.FireAt);

        var done = Run(new Waiter(), first.NewEvents.ToList(), Tick(31), new HistoryEvent { Type = HistoryEventType.TimerFired, TaskScheduledId = timer.EventId });
        Assert.Equal("\"xy:timeout\"", done.Completion?.Result);
    }

    private sealed class FanOut : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int count)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<int>("Square", i)));
            return results.Sum();
        }
    }

    [Fact]
    public void Fan_out_fan_in_completes_whatever_order_results_arrive_in()
    {
        var first = Run(new FanOut(), [], Tick(0), Started("FanOut", "10"));
        Assert.Equal(10, first.NewEvents.Count(e => e.Type == HistoryEventType.TaskScheduled));

        var results = Enumerable.Range(0, 10).Reverse().Select(i => Completed(i, (i * i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var done = Run(new FanOut(), first.NewEvents.ToList(), [Tick(1), .. results]);
        Assert.Equal("285", done.Completion?.Result);
    }

    private sealed class Retrying : TaskOrchestrator<object?, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var policy = new RetryPolicy(3, TimeSpan.FromSeconds(5), backoffCoefficient: 2);
            return await context.CallActivityAsync<string>("Flaky", null, TaskOptions.FromRetryPolicy(policy));
        }
    }

    [Fact]
    public void Retry_waits_on_a_durable_timer_then_calls_again()
    {
        var first = Run(new Retrying(), [], Tick(0), Started("Retrying"));
        var failed = new HistoryEvent { Type = HistoryEventType.TaskFailed, TaskScheduledId = 0, Failure = new FailureDetails("System.IO.IOException", "disk") };
        var second = Run(new Retrying(), first.NewEvents.ToList(), Tick(1), failed);
        var timer = Assert.Single(second.NewEvents, e => e.Type == HistoryEventType.TimerCreated);
        Assert.Equal(T0.AddSeconds(6), timer.FireAt);

        var history = first.NewEvents.Concat(second.NewEvents).ToList();
        var third = Run(new Retrying(), history, Tick(6), new HistoryEvent { Type = HistoryEventType.TimerFired, TaskScheduledId = timer.EventId });
        Assert.Single(third.NewEvents, e => e.Type == HistoryEventType.TaskScheduled && e.Name == "Flaky");
    }

    private sealed class Guids : TaskOrchestrator<object?, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) =>
            Task.FromResult($"{context.NewGuid()}|{context.NewGuid()}");
    }

    [Fact]
    public void NewGuid_is_the_same_on_every_replay_and_differs_per_call()
    {
        var a = Run(new Guids(), [], Tick(0), Started("Guids")).Completion!.Result!;
        var b = Run(new Guids(), [], Tick(0), Started("Guids")).Completion!.Result!;
        Assert.Equal(a, b);
        var parts = a.Trim('"').Split('|');
        Assert.NotEqual(parts[0], parts[1]);
        Assert.Equal('5', parts[0][14]);
    }

    [Fact]
    public void Events_wait_while_suspended_and_apply_on_resume()
    {
        var first = Run(new Waiter(), [], Tick(0), Started("Waiter"), new HistoryEvent { Type = HistoryEventType.ExecutionSuspended }, Raised("step", "\"x\""), Raised("step", "\"y\""));
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, first.RuntimeStatus);
        Assert.DoesNotContain(first.NewEvents, e => e.Type == HistoryEventType.TimerCreated);

        var resumed = Run(new Waiter(), first.NewEvents.ToList(), Tick(1), new HistoryEvent { Type = HistoryEventType.ExecutionResumed });
        Assert.Equal(OrchestrationRuntimeStatus.Running, resumed.RuntimeStatus);
        Assert.Single(resumed.NewEvents, e => e.Type == HistoryEventType.TimerCreated);
    }

    [Fact]
    public void Unregistered_orchestrator_fails_with_its_name()
    {
        var episode = OrchestrationExecutor.Execute("i1", [], [Tick(0), Started("Missing")], _ => null, JsonDataConverter.Default);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, episode.RuntimeStatus);
        Assert.Contains("'Missing'", episode.Completion!.Failure!.ErrorMessage, StringComparison.Ordinal);
    }
}
