using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Hosting.Blobs;

/// <summary>
/// A blob trigger path, <c>container/literal/{name}/{*rest}</c>: <c>{name}</c> captures one path segment
/// (or, ending the path, the remainder as in Azure Functions), <c>{*rest}</c> the remainder (slashes included).
/// </summary>
public sealed class BlobPathPattern
{
    private readonly Regex _name;

    private BlobPathPattern(string path, string container, string listPrefix, Regex name)
    {
        Path = path;
        Container = container;
        ListPrefix = listPrefix;
        _name = name;
    }

    public string Path { get; }

    public string Container { get; }

    /// <summary>The literal start of blob names, used to narrow listings.</summary>
    public string ListPrefix { get; }

    /// <exception cref="FormatException">The path has no container or an unbalanced or empty <c>{}</c>.</exception>
    public static BlobPathPattern Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? path : path[..slash];
        if (container.Length == 0 || container.Contains('{', StringComparison.Ordinal))
        {
            throw new FormatException($"Blob trigger path '{path}' must start with a literal container name ('container/{{name}}').");
        }

        var rest = slash < 0 ? "{*name}" : path[(slash + 1)..];
        var regex = new StringBuilder("^");
        var prefixEnd = -1;
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] != '{')
            {
                regex.Append(Regex.Escape(rest[i].ToString()));
                continue;
            }

            prefixEnd = prefixEnd < 0 ? i : prefixEnd;
            var close = rest.IndexOf('}', i);
            if (close < 0 || close == i + 1)
            {
                throw new FormatException($"Blob trigger path '{path}' has an unclosed or empty '{{}}' at position {slash + 1 + i}.");
            }

            var token = rest[(i + 1)..close];
            var catchAll = token.StartsWith('*');
            var name = catchAll ? token[1..] : token;
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new FormatException($"Blob trigger path '{path}': '{{{token}}}' is not a valid parameter name.");
            }

            // As in Azure Functions, a parameter ending the path also takes any sub-folders.
            var takesRest = catchAll || close == rest.Length - 1;
            regex.Append("(?<").Append(name).Append('>').Append(takesRest ? ".+" : "[^/]+").Append(')');
            i = close;
        }

        regex.Append('$');
        var listPrefix = prefixEnd < 0 ? rest : rest[..prefixEnd];
        return new BlobPathPattern(path, container, listPrefix, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture));
    }

    /// <returns>The captured values, or <c>null</c> when the blob does not match.</returns>
    public IReadOnlyDictionary<string, string>? Match(string container, string blobName)
    {
        if (!string.Equals(container, Container, StringComparison.Ordinal))
        {
            return null;
        }

        var match = _name.Match(blobName);
        if (!match.Success)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["blobTrigger"] = container + "/" + blobName,
        };
        foreach (var group in _name.GetGroupNames().Where(g => !int.TryParse(g, out _)))
        {
            values[group] = match.Groups[group].Value;
        }

        return values;
    }
}
