namespace Serverless.Onnx;

/// <summary>A model that cannot be loaded or scored as asked; the message says what was wrong.</summary>
public sealed class OnnxModelException : Exception
{
    public OnnxModelException()
    {
    }

    public OnnxModelException(string message) : base(message)
    {
    }

    public OnnxModelException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
