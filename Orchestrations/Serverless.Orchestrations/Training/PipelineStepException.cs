namespace Serverless.Orchestrations.Training;

/// <summary>A step of the pipeline decided, inside the orchestrator, that the run cannot go on.</summary>
public sealed class PipelineStepException : Exception
{
    public PipelineStepException() { }

    public PipelineStepException(string message) : base(message) { }

    public PipelineStepException(string message, Exception inner) : base(message, inner) { }
}
