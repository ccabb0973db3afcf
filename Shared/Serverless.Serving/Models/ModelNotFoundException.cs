namespace Serverless.Serving.Models;

/// <summary>No such model, alias or version (answered as 404).</summary>
public sealed class ModelNotFoundException : Exception
{
    public ModelNotFoundException()
    {
    }

    public ModelNotFoundException(string message) : base(message)
    {
    }

    public ModelNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
