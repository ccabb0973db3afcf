using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Serverless.Hosting.Http;

/// <summary>
/// The last line for every endpoint (functions, minimal APIs, the management API, the key check itself): an
/// exception that escaped is logged with the request's correlation id and answered by <see cref="ExceptionResponses"/>,
/// never with the framework's error page or the exception's text.
/// </summary>
public sealed partial class UnhandledExceptionMiddleware(RequestDelegate next, ILogger<UnhandledExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception e)
        {
            if (ExceptionResponses.IsBadInput(e))
            {
                LogBadInput(logger, http.Request.Method, http.Request.Path, e.Message);
            }
            else
            {
                LogUnhandled(logger, e, http.Request.Method, http.Request.Path, http.GetCorrelationId());
            }

            if (http.Response.HasStarted)
            {
                throw; // too late for an error body; the server aborts the response
            }

            http.Response.Clear();
            http.Response.Headers[CorrelationMiddleware.HeaderName] = http.GetCorrelationId();
            await ExceptionResponses.For(e, http.GetCorrelationId()).ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (correlation id {CorrelationId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused bad input: {Reason}")]
    private static partial void LogBadInput(ILogger logger, string method, string path, string reason);
}
