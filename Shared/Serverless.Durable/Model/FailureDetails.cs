namespace Serverless.Durable;

/// <summary>
/// Why an activity, sub-orchestration or orchestration failed: the exception's type, message and stack,
/// its inner failure, and (for activity failures) the name of the failing activity.
/// </summary>
public sealed record FailureDetails(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace = null,
    FailureDetails? InnerFailure = null,
    string? TaskName = null)
{
    /// <summary>Describes an exception (and its inner exceptions).</summary>
    public static FailureDetails FromException(Exception exception, string? taskName = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TaskFailedException failed)
        {
            return new FailureDetails(
                failed.GetType().FullName!,
                failed.Message,
                failed.StackTrace,
                failed.FailureDetails,
                taskName ?? failed.TaskName);
        }

        return new FailureDetails(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException),
            taskName);
    }

    /// <summary>Whether this failure (or an inner one) was caused by an exception of type <typeparamref name="T"/>.</summary>
    public bool IsCausedBy<T>() where T : Exception =>
        ErrorType == typeof(T).FullName || (InnerFailure?.IsCausedBy<T>() ?? false);

    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
