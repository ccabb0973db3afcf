using Microsoft.AspNetCore.Http;

namespace Serverless.Hosting.Http;

/// <summary>The host's per-request values: correlation id and the authenticated caller.</summary>
public static class HttpContextFunctionExtensions
{
    private static readonly object CorrelationKey = new();
    private static readonly object CallerKey = new();

    /// <summary>The request's correlation id (set by the correlation middleware; a new one otherwise).</summary>
    public static string GetCorrelationId(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(CorrelationKey, out var id) && id is string text)
        {
            return text;
        }

        var created = Guid.NewGuid().ToString("N");
        http.Items[CorrelationKey] = created;
        return created;
    }

    /// <summary>The correlation id, when the correlation middleware (or a function's worker middleware) set one.</summary>
    public static bool TryGetCorrelationId(this HttpContext http, out string id)
    {
        ArgumentNullException.ThrowIfNull(http);
        id = http.Items.TryGetValue(CorrelationKey, out var value) && value is string text ? text : string.Empty;
        return id.Length > 0;
    }

    public static void SetCorrelationId(this HttpContext http, string id) => http.Items[CorrelationKey] = id;

    /// <summary>Who called: set by the key check (<see cref="CallerIdentity.Anonymous"/> when none ran).</summary>
    public static CallerIdentity GetCaller(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items.TryGetValue(CallerKey, out var caller) && caller is CallerIdentity identity ? identity : CallerIdentity.Anonymous;
    }

    public static void SetCaller(this HttpContext http, CallerIdentity caller) => http.Items[CallerKey] = caller;

    /// <summary>Writes <c>{"error": message}</c> with <paramref name="statusCode"/>.</summary>
    public static IResult Error(int statusCode, string message) => Results.Json(new ErrorBody(message), statusCode: statusCode);
}
