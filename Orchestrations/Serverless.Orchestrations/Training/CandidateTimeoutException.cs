using Serverless.Domain;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// A candidate that did not finish training within <see cref="TrainingOptions.CandidateTimeout"/>. Training is
/// deterministic, so running it again would take as long (never retried); smaller hyperparameter ranges are the fix.
/// </summary>
public sealed class CandidateTimeoutException : BadInputException
{
    public CandidateTimeoutException()
    {
    }

    public CandidateTimeoutException(string message) : base(message)
    {
    }

    public CandidateTimeoutException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
