using Serverless.Domain;

namespace Serverless.Registry;

/// <summary>Tags or a description that cannot be kept; the message names the field.</summary>
public sealed class AnnotationException : BadInputException
{
    public AnnotationException()
    {
    }

    public AnnotationException(string message) : base(message)
    {
    }

    public AnnotationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
