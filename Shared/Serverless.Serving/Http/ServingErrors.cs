using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Onnx;
using Serverless.Serving.Models;

namespace Serverless.Serving.Http;

/// <summary>
/// Runs an endpoint and answers its failures as <c>{"error": "…"}</c>: 4xx for what the caller must fix,
/// 404 for unknown models, 500 only when a stored model cannot be loaded (with the correlation id; the runtime's
/// own error text is logged, never sent).
/// </summary>
internal static partial class ServingErrors
{
    public static async Task HandleAsync(HttpContext context, Func<HttpContext, Task> endpoint)
    {
        try
        {
            await endpoint(context).ConfigureAwait(false);
        }
        catch (ServingRequestException e)
        {
            await JsonResponses.WriteErrorAsync(context, e.StatusCode, e.Message).ConfigureAwait(false);
        }
        catch (ModelNotFoundException e)
        {
            await JsonResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await JsonResponses.WriteErrorAsync(context, e.StatusCode, e.Message).ConfigureAwait(false);
        }
        catch (OnnxModelException e)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServingErrors).FullName!);
            LogUnloadable(logger, e, context.Request.Path);
            var correlation = context.Response.Headers[ServingEndpoints.CorrelationHeader].FirstOrDefault() ?? context.TraceIdentifier;
            await JsonResponses.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, $"The model could not be loaded (correlation id {correlation}); the host's log has the details.").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A stored model could not be loaded for {Path}")]
    private static partial void LogUnloadable(ILogger logger, Exception exception, string path);
}
