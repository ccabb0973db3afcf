using System.Reflection;
using Microsoft.ML;

namespace Serverless.ML.Training;

/// <summary>
/// Stops a running <c>Fit</c>: ML.NET's trainers check their context's cancellation as they go, but
/// <c>MLContext.CancelExecution</c> is not public in ML.NET 5, so it is reached by reflection. A test trains with a
/// timed token and fails if an ML.NET upgrade removes the method (then switch to the public API it offers).
/// </summary>
internal static class TrainingCancellation
{
    private static readonly MethodInfo? CancelExecution =
        typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);

    /// <summary>
    /// Cancels <paramref name="context"/> when <paramref name="token"/> is cancelled, watched from a thread of its own:
    /// training keeps the thread pool busy, so a callback queued to it (a timed token's) could wait as long as the
    /// training it is meant to stop.
    /// </summary>
    public static IDisposable Watch(MLContext context, CancellationToken token)
    {
        var done = new ManualResetEventSlim();
        if (!token.CanBeCanceled)
        {
            return done;
        }

        var watcher = new Thread(() =>
        {
            if (WaitHandle.WaitAny([token.WaitHandle, done.WaitHandle]) == 0)
            {
                CancelExecution?.Invoke(context, null);
            }
        })
        { IsBackground = true, Name = "training cancellation" };
        watcher.Start();
        return new Stop(done);
    }

    private sealed class Stop(ManualResetEventSlim done) : IDisposable
    {
        public void Dispose() => done.Set();
    }
}
