using Serverless.Domain;

namespace Serverless.ML.Evaluation;

/// <summary>A spec <c>slices</c> column is not in the data being evaluated.</summary>
public sealed class SliceColumnException : BadInputException
{
    public SliceColumnException()
    {
    }

    public SliceColumnException(string message) : base(message)
    {
    }

    public SliceColumnException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
