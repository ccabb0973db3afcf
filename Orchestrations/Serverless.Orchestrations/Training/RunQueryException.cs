using Serverless.Domain;

namespace Serverless.Orchestrations.Training;

/// <summary>A run search parameter that is malformed or out of range; the message names it.</summary>
public sealed class RunQueryException : BadInputException
{
    public RunQueryException()
    {
    }

    public RunQueryException(string message) : base(message)
    {
    }

    public RunQueryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
