using Microsoft.Extensions.Configuration;

namespace Serverless.Hosting.Configuration;

/// <summary>
/// Reads settings the way Azure Functions does: <c>host.json</c> under <c>AzureFunctionsJobHost:</c> (its
/// <c>logging.logLevel</c> also as <c>Logging:LogLevel</c>), and the <c>Values</c> of an optional
/// <c>local.settings.json</c> as top-level settings, both below environment variables and the command line.
/// </summary>
public static class FunctionsConfigurationExtensions
{
    public const string HostJsonFile = "host.json";

    public const string LocalSettingsFile = "local.settings.json";

    /// <summary>Inserts host.json and local.settings.json from <paramref name="rootPath"/> as the lowest-priority sources.</summary>
    public static IConfigurationBuilder AddFunctionsFiles(this IConfigurationBuilder configuration, string rootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in ReadJson(Path.Combine(rootPath, HostJsonFile)))
        {
            settings[FunctionsHostOptions.HostJsonSection + ":" + key] = value;
            const string logLevel = "logging:logLevel:";
            if (key.StartsWith(logLevel, StringComparison.OrdinalIgnoreCase))
            {
                settings["Logging:LogLevel:" + key[logLevel.Length..]] = value;
            }
        }

        foreach (var (key, value) in ReadJson(Path.Combine(rootPath, LocalSettingsFile)))
        {
            const string values = "Values:";
            if (key.StartsWith(values, StringComparison.OrdinalIgnoreCase))
            {
                settings[key[values.Length..]] = value;
            }
        }

        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = settings };
        configuration.Sources.Insert(0, source);
        return configuration;
    }

    /// <summary>The folder with host.json: the first of <paramref name="candidates"/> (or a parent of one) that has it.</summary>
    public static string? FindRoot(params string?[] candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        foreach (var start in candidates)
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, HostJsonFile)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static IEnumerable<KeyValuePair<string, string?>> ReadJson(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build()
                .AsEnumerable(makePathsRelative: true)
                .Where(kv => kv.Value is not null)
                .ToList();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new InvalidOperationException($"The settings file '{path}' is not valid JSON: {e.InnerException?.InnerException?.Message ?? e.InnerException?.Message ?? e.Message}", e);
        }
    }
}
