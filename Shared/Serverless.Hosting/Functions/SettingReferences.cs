using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Serverless.Hosting;

/// <summary>Resolves <c>%Setting%</c> references in trigger values from configuration, as Azure Functions does.</summary>
public static partial class SettingReferences
{
    [GeneratedRegex("%([^%]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    /// <exception cref="InvalidOperationException">A referenced setting is missing.</exception>
    public static string Resolve(string value, IConfiguration configuration, string function)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(configuration);
        return Reference().Replace(value, m =>
            configuration[m.Groups[1].Value] is { Length: > 0 } setting
                ? setting
                : throw new InvalidOperationException($"Function '{function}': the setting '{m.Groups[1].Value}' referenced by '{value}' is not set."));
    }
}
