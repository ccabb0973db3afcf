namespace Serverless.Monitoring;

/// <summary>The time window a monitoring computation covers: [From, To).</summary>
public sealed record MonitoringWindow(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Throws when the window is empty or reversed.</summary>
    public void Validate()
    {
        if (To <= From)
        {
            throw new ArgumentException($"The monitoring window must end after it starts; it is {From:O} to {To:O}.");
        }
    }
}
