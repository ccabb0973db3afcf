namespace Serverless.Domain;

/// <summary>
/// The root of every failure caused by what a user gave the product (a dataset, a spec, a model file, a request):
/// fixing the input is the only remedy, so it is never retried. Durable retry policies match it with
/// <c>FailureDetails.IsCausedBy&lt;BadInputException&gt;()</c>; the message names the row, column, field or file.
/// </summary>
public abstract class BadInputException : Exception
{
    protected BadInputException()
    {
    }

    protected BadInputException(string message) : base(message)
    {
    }

    protected BadInputException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
