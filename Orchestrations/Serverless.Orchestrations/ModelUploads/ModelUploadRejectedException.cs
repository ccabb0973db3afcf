using Serverless.Domain;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>An uploaded model that will not be registered; the message is the reason the uploads API shows.</summary>
public sealed class ModelUploadRejectedException : BadInputException
{
    public ModelUploadRejectedException()
    {
    }

    public ModelUploadRejectedException(string message) : base(message)
    {
    }

    public ModelUploadRejectedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
