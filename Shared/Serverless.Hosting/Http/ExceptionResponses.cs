using Microsoft.AspNetCore.Http;
using Serverless.Domain;

namespace Serverless.Hosting.Http;

/// <summary>
/// How an exception that escaped an endpoint is answered. Bad input (<see cref="BadInputException"/>) is a 400 and
/// a <see cref="BadHttpRequestException"/> keeps its 4xx, both with their message, which was written for the
/// caller. Anything else is a 500 (503 for a timeout) with a generic message and the correlation id: raw exception
/// text (storage error headers, stack traces, paths) never reaches a caller; it is in the host's log under that id.
/// </summary>
public static class ExceptionResponses
{
    /// <summary>Whether <paramref name="exception"/> is the caller's fault (answered 4xx with its message).</summary>
    public static bool IsBadInput(Exception exception) => exception is BadInputException or BadHttpRequestException;

    /// <param name="operation">What failed, e.g. <c>Function 'GetRun'</c>; <c>null</c> for "The request".</param>
    public static IResult For(Exception exception, string correlationId, string? operation = null)
    {
        operation ??= "The request";
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            BadInputException bad => HttpContextFunctionExtensions.Error(StatusCodes.Status400BadRequest, bad.Message),
            BadHttpRequestException bad => HttpContextFunctionExtensions.Error(bad.StatusCode, bad.Message),
            OperationCanceledException or TimeoutException => HttpContextFunctionExtensions.Error(
                StatusCodes.Status503ServiceUnavailable,
                $"{operation} did not complete in time; try again (correlation id {correlationId})."),
            _ => HttpContextFunctionExtensions.Error(
                StatusCodes.Status500InternalServerError,
                $"{operation} failed on the server (correlation id {correlationId}); the host's log has the details."),
        };
    }
}
