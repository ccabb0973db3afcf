namespace Serverless.Registry;

/// <summary>
/// What <c>PATCH /api/runs/{id}</c> and <c>PATCH /api/models/{name}/versions/{v}</c> take: tags to set (a null value removes the
/// tag) and a description (null leaves it as it is).
/// </summary>
public sealed record Annotation(IReadOnlyDictionary<string, string?>? Tags, string? Description)
{
    public const int MaxTags = 50;

    public const int MaxTagLength = 250;

    public const int MaxDescriptionLength = 5000;

    /// <summary>The tags after applying this annotation to <paramref name="current"/>.</summary>
    public IReadOnlyDictionary<string, string> Apply(IReadOnlyDictionary<string, string> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var tags = new SortedDictionary<string, string>(current.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in Tags ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                tags.Remove(key);
            }
            else
            {
                tags[key] = value;
            }
        }

        return tags;
    }

    /// <exception cref="AnnotationException">A tag key or value is empty or too long, there are too many, or the description is too long.</exception>
    public void Validate()
    {
        foreach (var (key, value) in Tags ?? new Dictionary<string, string?>())
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxTagLength || key.Contains(':', StringComparison.Ordinal))
            {
                throw new AnnotationException($"tags: the key '{key}' must be 1-{MaxTagLength} characters without ':'.");
            }

            if (value is { Length: > MaxTagLength })
            {
                throw new AnnotationException($"tags.{key}: the value is longer than {MaxTagLength} characters.");
            }
        }

        if (Tags is { Count: > MaxTags })
        {
            throw new AnnotationException($"tags: at most {MaxTags} tags.");
        }

        if (Description is { Length: > MaxDescriptionLength })
        {
            throw new AnnotationException($"description: longer than {MaxDescriptionLength} characters.");
        }
    }
}
