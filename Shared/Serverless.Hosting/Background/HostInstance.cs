namespace Serverless.Hosting.Background;

/// <summary>This process's identity as a lease owner (distinct per host instance, unlike the shared host id).</summary>
public sealed class HostInstance
{
    public string Id { get; } = Guid.NewGuid().ToString();
}
