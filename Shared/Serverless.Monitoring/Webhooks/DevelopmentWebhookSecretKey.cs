using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Monitoring.Webhooks;

/// <summary>
/// When <c>Product:Webhooks:SecretKey</c> is unset on a development machine (the Development environment, or storage on
/// the local emulator), uses the key saved in <c>webhook-secret-key.txt</c> in <paramref name="keyDirectory"/> (the host
/// passes the folder of its master key file, <c>.local/</c> under the host root), generating and saving it on first
/// start. Elsewhere an unset key stays unset: adding a webhook then fails with a message naming the setting.
/// </summary>
public sealed partial class DevelopmentWebhookSecretKey(
    IHostEnvironment environment,
    IConfiguration configuration,
    string keyDirectory,
    ILogger<DevelopmentWebhookSecretKey> logger) : IPostConfigureOptions<WebhookSecretOptions>
{
    public const string FileName = "webhook-secret-key.txt";

    /// <summary>Where the development key is kept.</summary>
    public string KeyFile => Path.GetFullPath(Path.Combine(keyDirectory, FileName));

    public void PostConfigure(string? name, WebhookSecretOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.SecretKey) || !IsDevelopmentMachine())
        {
            return;
        }

        options.SecretKey = ReadOrCreate(KeyFile);
    }

    private bool IsDevelopmentMachine()
    {
        var storage = configuration["AzureWebJobsStorage"] ?? string.Empty;
        return environment.IsDevelopment()
            || storage.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            || storage.Contains("AccountName=devstoreaccount1", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads the saved key, or saves a new one (atomically: hosts starting together all end up with the first one saved).</summary>
    private string ReadOrCreate(string file)
    {
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, WebhookSecretOptions.GenerateKey() + Environment.NewLine);
        try
        {
            File.Move(temporary, file, overwrite: false);
            LogGenerated(logger, file);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(temporary); // another host saved one first
        }

        return File.ReadAllText(file).Trim();
    }

    [LoggerMessage(EventId = 6121, Level = LogLevel.Warning, Message = "Generated the webhook secret encryption key and saved it to {File}; keep it with the master key, or set Product:Webhooks:SecretKey")]
    private static partial void LogGenerated(ILogger logger, string file);
}
