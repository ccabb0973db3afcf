namespace Serverless.Durable.Worker;

/// <summary>Poll again at once after finding work; when idle, wait 10 ms, then double up to the maximum.</summary>
internal sealed class AdaptivePollingDelay(TimeSpan maximum)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(10);

    public TimeSpan Current { get; private set; } = TimeSpan.Zero;

    public void Reset() => Current = TimeSpan.Zero;

    public TimeSpan Next()
    {
        Current = Current == TimeSpan.Zero ? First : TimeSpan.FromTicks(Math.Min(Current.Ticks * 2, maximum.Ticks));
        return Current;
    }
}
