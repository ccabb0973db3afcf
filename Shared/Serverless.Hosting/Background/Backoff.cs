namespace Serverless.Hosting.Background;

/// <summary>Exponential delays with jitter for background loops that wait out a storage outage.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan maximum)
{
    private int _failures;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures++, 16);
        var delay = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), maximum.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    public void Reset() => _failures = 0;

    public static Backoff ForStorage() => new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
}
