using Serverless.Domain;

namespace Serverless.Orchestrations.Training;

/// <summary>A training run request that names no usable dataset (neither a file nor an existing version); the message says which.</summary>
public sealed class TrainingRunRequestException : BadInputException
{
    public TrainingRunRequestException()
    {
    }

    public TrainingRunRequestException(string message) : base(message)
    {
    }

    public TrainingRunRequestException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
