namespace Serverless.Storage;

/// <summary>
/// Named, expiring, exclusive leases (blob leases on Azure Storage). A holder renews before expiry;
/// a holder that dies loses the lease when it expires, and another may take it.
/// </summary>
public interface ILeaseStore
{
    /// <summary>Tries to take the lease named <paramref name="name"/> in <paramref name="container"/> for <paramref name="duration"/> (15-60 s).</summary>
    /// <returns><c>true</c> when <paramref name="ownerId"/> now holds it (also when it already did).</returns>
    Task<bool> TryAcquireAsync(string container, string name, string ownerId, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <returns><c>false</c> when the lease was lost.</returns>
    Task<bool> RenewAsync(string container, string name, string ownerId, CancellationToken cancellationToken = default);

    Task ReleaseAsync(string container, string name, string ownerId, CancellationToken cancellationToken = default);
}
