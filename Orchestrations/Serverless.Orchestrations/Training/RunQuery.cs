using System.Globalization;

namespace Serverless.Orchestrations.Training;

/// <summary>
/// Which runs <c>GET /api/runs</c> lists: those of exactly <see cref="Project"/> (when given; <c>wine</c> is not
/// <c>wine-red</c>), in <see cref="Status"/> (any case), started by <see cref="Trigger"/>, carrying the tag <see cref="Tag"/>
/// (<c>key:value</c>), created in [<see cref="Since"/>, <see cref="Until"/>), that <see cref="Visibility"/> allows; ordered by
/// <see cref="OrderBy"/> (<c>metric:{name}:{asc|desc}</c>, else newest first), <see cref="Top"/> per page from <see cref="Continuation"/>.
/// </summary>
public sealed record RunQuery(string? Project, string? Status, RunVisibility Visibility)
{
    public const int DefaultTop = 50;

    public const int MaxTop = 1000;

    public string? Trigger { get; init; }

    public string? Tag { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? OrderBy { get; init; }

    public int Top { get; init; } = DefaultTop;

    public string? Continuation { get; init; }

    /// <summary>The partitions (projects) to read: the project's, else each visible project's, else null for all.</summary>
    public IReadOnlyList<string>? Projects()
    {
        ArgumentNullException.ThrowIfNull(Visibility);
        if (!string.IsNullOrEmpty(Project))
        {
            return Visibility.Includes(Project) ? [Project] : [];
        }

        return Visibility.Projects is { } projects ? [.. projects.Order(StringComparer.Ordinal)] : null;
    }

    public bool Includes(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(Visibility);
        return (string.IsNullOrEmpty(Project) || string.Equals(run.Project, Project, StringComparison.Ordinal))
            && (string.IsNullOrEmpty(Status) || string.Equals(run.Status, Status, StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(Trigger) || string.Equals(run.Trigger, Trigger, StringComparison.OrdinalIgnoreCase))
            && (Since is not { } since || run.CreatedAt >= since)
            && (Until is not { } until || run.CreatedAt < until)
            && HasTag(run)
            && Visibility.Includes(run.Project);
    }

    /// <summary>The runs in this query's order.</summary>
    /// <exception cref="RunQueryException"><see cref="OrderBy"/> is not <c>metric:{name}:{asc|desc}</c>.</exception>
    public IEnumerable<RunView> Order(IEnumerable<RunView> runs)
    {
        if (string.IsNullOrEmpty(OrderBy))
        {
            return runs.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal);
        }

        var parts = OrderBy.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0] != "metric" || parts[1].Length == 0 || (parts.Length == 3 && parts[2] is not ("asc" or "desc")))
        {
            throw new RunQueryException($"orderBy: '{OrderBy}' is not metric:{{name}}:{{asc|desc}} (e.g. metric:auc:desc).");
        }

        var metric = parts[1];
        var descending = parts.Length == 2 || parts[2] == "desc";
        double? Value(RunView r) => r.Metrics is { } m && m.TryGetValue(metric, out var v) ? v : null;
        var withMetric = runs.Where(r => Value(r) is not null);
        var ordered = descending ? withMetric.OrderByDescending(r => Value(r)) : withMetric.OrderBy(r => Value(r));
        return ordered.ThenBy(r => r.Id, StringComparer.Ordinal)
            .Concat(runs.Where(r => Value(r) is null).OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal));
    }

    /// <summary>Where the page starts: the offset <see cref="Continuation"/> carries.</summary>
    /// <exception cref="RunQueryException">The token is not one this API gave.</exception>
    public int Offset() => Continuation is not { Length: > 0 } token
        ? 0
        : int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset
        : throw new RunQueryException($"continuationToken: '{token}' is not a token from an earlier page.");

    /// <exception cref="RunQueryException">A parameter is out of range or malformed; the message names it.</exception>
    public void Validate()
    {
        if (Top is < 1 or > MaxTop)
        {
            throw new RunQueryException($"top: {Top} is not between 1 and {MaxTop}.");
        }

        if (Tag is { Length: > 0 } tag && tag.IndexOf(':', StringComparison.Ordinal) < 1)
        {
            throw new RunQueryException($"tag: '{tag}' is not key:value.");
        }

        _ = Order([]);
        _ = Offset();
    }

    private bool HasTag(RunView run)
    {
        if (Tag is not { Length: > 0 } tag)
        {
            return true;
        }

        var colon = tag.IndexOf(':', StringComparison.Ordinal);
        return run.Tags.TryGetValue(tag[..colon], out var value) && value == tag[(colon + 1)..];
    }
}
