using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Storage;

namespace Serverless.Hosting.Keys;

/// <summary>
/// At start, without a configured <c>MasterKey</c>: generates the master key once (first host to start wins),
/// stores its hash and saves it to <c>.local/master-key.txt</c> under the host root, readable by its owner only
/// (<see cref="OwnerOnlyFile"/>). It is printed once in full in the Development environment; elsewhere only where
/// it was saved is printed, so the key does not end up in collected console output.
/// </summary>
public sealed partial class MasterKeyProvisioner(
    FunctionKeyStore store,
    MasterKey master,
    IOptions<KeysOptions> keys,
    IOptions<FunctionsHostOptions> host,
    IHostEnvironment environment,
    ILogger<MasterKeyProvisioner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (master.IsConfigured || await store.ExistsAsync(FunctionKeyStore.MasterKeyName, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var value = KeySecrets.Generate();
        try
        {
            await store.StoreAsync(new FunctionKey(FunctionKeyStore.MasterKeyName, AuthorizationLevel.Admin, [], DateTimeOffset.UtcNow), KeySecrets.Hash(value), cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return; // another host generated it first
        }

        var file = Path.GetFullPath(Path.Combine(host.Value.RootPath, keys.Value.MasterKeyFile));
        await OwnerOnlyFile.WriteAllTextAsync(file, value + Environment.NewLine, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(environment.IsDevelopment()
            ? $"Master key (shown once; also saved to {file}): {value}"
            : $"Master key generated and saved to {file} (readable by its owner only); it is not printed outside the Development environment.");
        LogGenerated(logger, file);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated a master key and saved it to {File}; keep it secret, or set MasterKey")]
    private static partial void LogGenerated(ILogger logger, string file);
}
