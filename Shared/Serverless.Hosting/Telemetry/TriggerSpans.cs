using System.Diagnostics;
using Serverless.Storage;

namespace Serverless.Hosting.Telemetry;

/// <summary>
/// The spans a non-HTTP trigger starts before the invocation's own span: <c>blob:{function}</c> per attempt on a blob
/// version (polling and event-queue mode alike) and <c>timer:{schedule}</c> per occurrence. Each starts a trace (the
/// listener loops run under no span), which what the function starts (an orchestration, say) joins. HTTP invocations have ASP.NET Core's span.
/// </summary>
public static class TriggerSpans
{
    public static Activity? StartBlob(string function, BlobItem blob, int attempt)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var span = StartRoot("blob:" + function, ActivityKind.Consumer);
        span?.SetTag("faas.trigger", "datasource")
            .SetTag("faas.name", function)
            .SetTag("blob.container", blob.Container)
            .SetTag("blob.name", blob.Name)
            .SetTag("blob.etag", blob.ETag.Value)
            .SetTag("blob.attempt", attempt);
        return span;
    }

    public static Activity? StartTimer(string schedule, TimerInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var span = StartRoot("timer:" + schedule, ActivityKind.Internal);
        span?.SetTag("faas.trigger", "timer")
            .SetTag("faas.name", schedule)
            .SetTag("timer.occurrence", info.ScheduleStatus is { } status ? new DateTimeOffset(DateTime.SpecifyKind(status.Last, DateTimeKind.Utc)).ToString("o", System.Globalization.CultureInfo.InvariantCulture) : null)
            .SetTag("timer.past_due", info.IsPastDue);
        return span;
    }

    public static void Failed(Activity? span, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        span?.SetStatus(ActivityStatusCode.Error, exception.Message).SetTag("error.type", exception.GetType().FullName);
    }

    private static Activity? StartRoot(string name, ActivityKind kind) =>
        HostTelemetry.ActivitySource.StartActivity(name, kind); // trigger loops run under no span: this starts a trace
}
