namespace Serverless.Durable;

/// <summary>An activity or sub-orchestration failed; thrown inside the calling orchestrator.</summary>
public sealed class TaskFailedException : Exception
{
    public TaskFailedException(string taskName, int taskId, FailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails?.ErrorMessage}")
    {
        ArgumentNullException.ThrowIfNull(failureDetails);
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    public TaskFailedException() : this("unknown", -1, new FailureDetails("unknown", "unknown")) { }

    public TaskFailedException(string message) : this("unknown", -1, new FailureDetails("unknown", message)) { }

    public TaskFailedException(string message, Exception inner) : base(message, inner)
    {
        TaskName = "unknown";
        FailureDetails = FailureDetails.FromException(inner);
    }

    public string TaskName { get; }

    public int TaskId { get; }

    public FailureDetails FailureDetails { get; }
}

/// <summary>The orchestrator, replayed, did something other than what its history records.</summary>
public sealed class NonDeterministicOrchestrationException : Exception
{
    public NonDeterministicOrchestrationException() { }

    public NonDeterministicOrchestrationException(string message) : base(message) { }

    public NonDeterministicOrchestrationException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>An instance with this id is already pending or running; it was not started twice.</summary>
public sealed class OrchestrationAlreadyExistsException : InvalidOperationException
{
    public OrchestrationAlreadyExistsException() { }

    public OrchestrationAlreadyExistsException(string message) : base(message) { }

    public OrchestrationAlreadyExistsException(string message, Exception inner) : base(message, inner) { }
}
