using Xunit;

namespace Serverless.Testing.Host;

/// <summary>
/// An xunit class fixture running the real Functions app against the tests' shared Azurite, with a unique
/// host id, hub name and keys table and a known master key. Derive and override <see cref="Configure"/> to add
/// function assemblies, settings or services.
/// </summary>
public class FunctionsHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private FunctionsTestHost? _host;

    public FunctionsTestHost Host => _host ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>A client with the base address set and no key.</summary>
    public HttpClient Client => Host.Client;

    public string MasterKey => Host.MasterKey;

    public IServiceProvider Services => Host.Services;

    public AzuriteFixture Azurite => _azurite;

    /// <summary>A client that sends <paramref name="key"/> (the master key when <c>null</c>).</summary>
    public HttpClient CreateClient(string? key = null) => Host.CreateClient(key);

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync().ConfigureAwait(false);
        _host = await FunctionsTestHost.StartAsync(Configure(new FunctionsTestHostOptions { StorageConnectionString = _azurite.ConnectionString })).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        await _azurite.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Adjusts the host's options (function assemblies, settings, services).</summary>
    protected virtual FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options;
}
