using Serverless.Domain;

namespace Serverless.Orchestrations.Scoring;

/// <summary>A batch scoring request that cannot be scored as given (no header, a column the model needs is missing, no model to score with); the message says what to fix.</summary>
public sealed class ScoringInputException : BadInputException
{
    public ScoringInputException()
    {
    }

    public ScoringInputException(string message) : base(message)
    {
    }

    public ScoringInputException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
