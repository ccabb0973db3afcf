using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Keys;
using Serverless.Testing;
using Xunit;

namespace Serverless.Hosting.Tests;

/// <summary>
/// The generated master key is saved readable by its owner only (even over an older, wider file) and printed in full
/// only in the Development environment. Real Azurite for the key table, a real file in a temporary folder.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class MasterKeyFileTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "masterkey-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Outside_development_the_key_file_is_owner_only_and_the_key_is_not_printed()
    {
        var file = Path.Combine(_root, ".local", "master-key.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "an older key\n"); // left by an earlier storage account, with the umask's mode
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var printed = await ProvisionAsync(Environments.Production);

        var key = (await File.ReadAllTextAsync(file)).Trim();
        Assert.NotEqual("an older key", key);
        Assert.True(key.Length >= 32, "a generated key");
        Assert.DoesNotContain(key, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(key[..8], printed, StringComparison.Ordinal);
        Assert.Contains(file, printed, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp"));
    }

    [Fact]
    public async Task In_development_a_new_key_file_is_owner_only_in_an_owner_only_folder_and_the_key_is_printed_once()
    {
        var printed = await ProvisionAsync(Environments.Development);

        var file = Path.Combine(_root, ".local", "master-key.txt");
        var key = (await File.ReadAllTextAsync(file)).Trim();
        Assert.Contains(key, printed, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Runs the provisioner as a host's start would, returning what it printed to the console.</summary>
    private async Task<string> ProvisionAsync(string environment)
    {
        var keys = Options.Create(new KeysOptions { TableName = AzuriteFixture.UniqueName("keys") });
        var provisioner = new MasterKeyProvisioner(
            new FunctionKeyStore(azurite.Storage.Tables, keys),
            new MasterKey(keys),
            keys,
            Options.Create(new FunctionsHostOptions { RootPath = _root }),
            new HostingEnvironment { EnvironmentName = environment },
            NullLogger<MasterKeyProvisioner>.Instance);
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            await provisioner.StartAsync(CancellationToken.None);
        }
        finally
        {
            Console.SetOut(original);
        }

        return captured.ToString();
    }
}

/// <summary>Tests that redirect the console run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;
