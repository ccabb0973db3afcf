using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Serverless.Hosting.Http;

/// <summary>
/// Gives every request a correlation id, from <c>x-correlation-id</c>, else the trace id of a W3C
/// <c>traceparent</c>, else a new one; puts it in a logging scope and echoes it in the response.
/// </summary>
public sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public const string HeaderName = "x-correlation-id";

    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var id = Of(http.Request);
        http.SetCorrelationId(id);
        http.Response.Headers[HeaderName] = id;
        Activity.Current?.SetTag("correlation.id", id);
        using (logger.BeginScope(new CorrelationScope(id)))
        {
            await next(http).ConfigureAwait(false);
        }
    }

    /// <summary>The log scope of one request: its correlation id, without a dictionary per request.</summary>
    private sealed class CorrelationScope(string correlationId) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 1;

        public KeyValuePair<string, object> this[int index] => index == 0 ? new("CorrelationId", correlationId) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"CorrelationId:{correlationId}";
    }

    /// <summary>The request's correlation id: <c>x-correlation-id</c>, else a <c>traceparent</c>'s trace id, else a new one.</summary>
    public static string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Accept(request.Headers[HeaderName].FirstOrDefault())
            ?? TraceId(request.Headers["traceparent"].FirstOrDefault())
            ?? ActivityTraceId.CreateRandom().ToHexString(); // 32 hex digits like a GUID's "N" form, without the system's cryptographic generator per request
    }

    private static string? Accept(string? id) =>
        id is { Length: > 0 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':') ? id : null;

    /// <summary>The trace id of <c>00-{trace-id}-{parent-id}-{flags}</c>.</summary>
    private static string? TraceId(string? traceparent)
    {
        var parts = traceparent?.Split('-');
        return parts is { Length: 4 } && parts[1].Length == 32 && parts[1].All(char.IsAsciiHexDigit) && parts[1] != new string('0', 32)
            ? parts[1]
            : null;
    }
}
