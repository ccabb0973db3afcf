using DurableTask.Core;
using DurableTask.Core.History;
using Serverless.DurableTask.Http;
using Xunit;

namespace Serverless.Functions.Tests;

/// <summary>
/// <c>showHistory=true</c> on the management API: the Durable Task Framework's events in Durable Functions' shape,
/// without replay bookkeeping, ending with <c>ExecutionCompleted</c>; completions name what they complete.
/// </summary>
public sealed class DurableHttpHistoryTests
{
    private static readonly DateTime Start = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static IReadOnlyList<HistoryEvent> History() =>
    [
        new OrchestratorStartedEvent(-1) { Timestamp = Start },
        new ExecutionStartedEvent(-1, "\"Ada\"") { Name = "Greeter", Timestamp = Start },
        new TaskScheduledEvent(0, "SayHello", null, "\"Ada\"") { Timestamp = Start.AddSeconds(1) },
        new OrchestratorCompletedEvent(-1) { Timestamp = Start.AddSeconds(1) },
        new OrchestratorStartedEvent(-1) { Timestamp = Start.AddSeconds(2) },
        new TaskCompletedEvent(-1, 0, "\"Hello, Ada\"") { Timestamp = Start.AddSeconds(2) },
        new TaskScheduledEvent(1, "Shout", null, null) { Timestamp = Start.AddSeconds(2) },
        new EventRaisedEvent(-1, "\"go\"") { Name = "greeting", Timestamp = Start.AddSeconds(3) },
        new TaskFailedEvent(-1, 1, null, null, new FailureDetails("System.InvalidOperationException", "too loud", null, null, false)) { Timestamp = Start.AddSeconds(3) },
        new ExecutionCompletedEvent(2, "\"Hello, Ada\"", OrchestrationStatus.Completed) { Timestamp = Start.AddSeconds(4) },
        new OrchestratorCompletedEvent(-1) { Timestamp = Start.AddSeconds(4) },
    ];

    [Fact]
    public void Replay_bookkeeping_is_left_out_and_the_history_ends_with_ExecutionCompleted()
    {
        var events = DurableHttpHistory.ToResponses(History(), showOutput: false);

        Assert.Equal(
            ["ExecutionStarted", "TaskScheduled", "TaskCompleted", "TaskScheduled", "EventRaised", "TaskFailed", "ExecutionCompleted"],
            events.Select(e => e.EventType));
        Assert.Equal("Completed", events[^1].OrchestrationStatus);
        Assert.All(events, e => Assert.Null(e.Input));
        Assert.All(events, e => Assert.Null(e.Result));
    }

    [Fact]
    public void A_completion_names_its_activity_and_when_it_was_scheduled()
    {
        var events = DurableHttpHistory.ToResponses(History(), showOutput: true);

        var completed = events.Single(e => e.EventType == "TaskCompleted");
        Assert.Equal("SayHello", completed.FunctionName);
        Assert.Equal(0, completed.EventId);
        Assert.Equal(Start.AddSeconds(1), completed.ScheduledTime);
        Assert.Equal("Hello, Ada", completed.Result!.Value.GetString());

        var failed = events.Single(e => e.EventType == "TaskFailed");
        Assert.Equal("Shout", failed.FunctionName);
        Assert.Equal("too loud", failed.FailureDetails!.ErrorMessage);
        Assert.Equal("Shout", failed.FailureDetails.TaskName);
    }

    [Fact]
    public void The_orchestration_input_is_never_in_the_history_but_activity_inputs_and_events_are_with_showHistoryOutput()
    {
        var events = DurableHttpHistory.ToResponses(History(), showOutput: true);

        var started = events.Single(e => e.EventType == "ExecutionStarted");
        Assert.Equal("Greeter", started.FunctionName);
        Assert.Null(started.Input);
        Assert.Equal("Ada", events.First(e => e.EventType == "TaskScheduled").Input!.Value.GetString());
        var raised = events.Single(e => e.EventType == "EventRaised");
        Assert.Equal("greeting", raised.FunctionName);
        Assert.Equal("go", raised.Input!.Value.GetString());
    }
}
