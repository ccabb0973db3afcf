using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Serverless.Hosting.Http;

namespace Serverless.Hosting.Middleware;

/// <summary>
/// Worker middleware (both hosts): an exception that escapes an HTTP function is logged with the correlation id
/// and answered by <see cref="ExceptionResponses"/> (bad input 4xx naming what was wrong; anything else a 500
/// without the exception's text). Other triggers rethrow, so their host retries or poisons as it does.
/// </summary>
public sealed partial class HttpExceptionMiddleware(ILogger<HttpExceptionMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is not { } http)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception e)
        {
            var correlation = context.GetCorrelationId();
            if (ExceptionResponses.IsBadInput(e))
            {
                LogBadInput(logger, context.FunctionDefinition.Name, e.Message);
            }
            else
            {
                LogUnhandled(logger, e, context.FunctionDefinition.Name, correlation);
            }

            if (http.Response.HasStarted)
            {
                throw; // too late for an error body
            }

            await ExceptionResponses.For(e, correlation, $"Function '{context.FunctionDefinition.Name}'").ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "HTTP function '{Function}' failed (correlation id {CorrelationId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string function, string correlationId);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "HTTP function '{Function}' refused bad input: {Reason}")]
    private static partial void LogBadInput(ILogger logger, string function, string reason);
}
